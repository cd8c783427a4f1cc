/**
 * Applies Unicode NFKC: presentation forms and ligatures become the letters they display
 * (`ﻻ` → `لا`, `ﷲ` → `الله`), full-width Latin becomes ASCII, and decomposed hamza and madda
 * sequences compose (`ا` + U+0654 → `أ`), so the later letter folds see one spelling only.
 *
 * @example foldCompatibility('ﻣﺮﺣﺒﺎ') // → 'مرحبا'
 */
export function foldCompatibility(text: string): string {
  return text.normalize('NFKC');
}
