/**
 * Lower-cases Latin (and any other cased) letters; Arabic has no case and is unchanged.
 *
 * @example lowerCase('NASA و OpenAI') // → 'nasa و openai'
 */
export function lowerCase(text: string): string {
  return text.toLowerCase();
}
