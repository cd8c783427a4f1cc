import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { MIN_ACRONYM_EVIDENCE } from '../../src/archive/learned-acronyms.js';

const ids = (archive: Archive, query: string) => archive.search(query).hits.map((hit) => hit.id);

describe('acronyms learned from the articles', () => {
  const definition = (n: number) => ({
    id: `defines-${n}`,
    paragraphs: [`أعلنت هيئة تحرير الشام (هتش) في بيانها رقم ${n} وقف القتال.`],
  });
  const mention = { id: 'mentions', paragraphs: ['وقال متحدث باسم هتش إن الاتفاق صامد.'] };

  it(`become synonyms once ${MIN_ACRONYM_EVIDENCE} articles define them, and stop when one goes`, () => {
    const archive = new Archive();
    archive.put(mention);
    for (let n = 1; n < MIN_ACRONYM_EVIDENCE; n += 1) archive.put(definition(n));
    expect(archive.synonymGroups().filter((group) => group.source === 'learned')).toEqual([]);
    expect(ids(archive, 'تحرير الشام')).not.toContain('mentions');

    archive.put(definition(MIN_ACRONYM_EVIDENCE));
    expect(archive.synonymGroups().filter((group) => group.source === 'learned')).toEqual([
      { forms: ['هتش', 'هيئة تحرير الشام'], source: 'learned', evidence: MIN_ACRONYM_EVIDENCE },
    ]);
    expect(ids(archive, 'هيئة تحرير الشام')).toContain('mentions');
    expect(ids(archive, 'هتش')).toContain('mentions');

    archive.remove('defines-1');
    expect(archive.synonymGroups().filter((group) => group.source === 'learned')).toEqual([]);
    expect(ids(archive, 'هيئة تحرير الشام')).not.toContain('mentions');
  });

  it('can be removed in the synonyms file', () => {
    const archive = new Archive({ synonymsFile: { groups: [], remove: ['هتش'] } });
    archive.put(mention);
    for (let n = 1; n <= MIN_ACRONYM_EVIDENCE; n += 1) archive.put(definition(n));
    expect(archive.synonymGroups().filter((group) => group.source === 'learned')).toEqual([]);
    expect(ids(archive, 'هيئة تحرير الشام')).not.toContain('mentions');
  });
});
