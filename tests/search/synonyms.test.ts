import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { DEFAULT_SYNONYM_GROUPS, parseSynonymsFile } from '../../src/search/synonyms.js';

const ids = (archive: Archive, query: string) => archive.search(query).hits.map((hit) => hit.id);
const marked = (archive: Archive, query: string) =>
  archive.search(query).hits.map((hit) => hit.highlights.map(([start, end]) => hit.text.slice(start, end)));

describe('synonyms', () => {
  it('ships a list of groups of two or more forms', () => {
    expect(DEFAULT_SYNONYM_GROUPS.length).toBeGreaterThan(100);
    for (const group of DEFAULT_SYNONYM_GROUPS) expect(group.forms.length).toBeGreaterThanOrEqual(2);
  });

  it('finds a name spelt the other way, below the spelling searched for', () => {
    const archive = new Archive();
    archive.put({ id: 'short', paragraphs: ['التقى ترمب وزير الخارجية.'] });
    archive.put({ id: 'long', paragraphs: ['التقى ترامب وزير الخارجية.'] });
    expect(ids(archive, 'ترامب')).toEqual(['long', 'short']);
    expect(ids(archive, 'ترمب')).toEqual(['short', 'long']);
    expect(marked(archive, 'ترامب')).toEqual([['ترامب'], ['ترمب']]);
  });

  it('matches an acronym with its long form, word after word, and the long form with the acronym', () => {
    const archive = new Archive();
    archive.put({ id: 'long', paragraphs: ['أعلنت قوات سوريا الديمقراطية سيطرتها على البلدة.'] });
    archive.put({ id: 'short', paragraphs: ['قالت قسد إنها سيطرت على البلدة.'] });
    archive.put({ id: 'apart', paragraphs: ['قوات من سوريا تدعم الحياة الديمقراطية.'] });
    expect(ids(archive, 'قسد')).toEqual(['short', 'long']);
    expect(marked(archive, 'قسد')[1]).toEqual(['قوات', 'سوريا', 'الديمقراطية']);
    const longForm = archive.search('قوات سوريا الديمقراطية').hits;
    expect(longForm[0]!.id).toBe('long');
    // The acronym stands for the three words at once: matched once, as covering all three.
    const short = longForm.find((hit) => hit.id === 'short')!;
    expect(short.highlights.map(([start, end]) => short.text.slice(start, end))).toEqual(['قسد']);
  });

  it('takes groups from a synonyms file and leaves out the shipped groups it removes', () => {
    // Without typo tolerance, which would find `ترمب` for `ترامب` on its own.
    const archive = new Archive({
      synonymsFile: { groups: [['الدوري الممتاز', 'البريميرليغ']], remove: ['ترمب'] },
      ranking: { typoWeight: 0 },
    });
    archive.put({ id: 'league', paragraphs: ['انطلق الدوري الممتاز أمس.'] });
    archive.put({ id: 'short', paragraphs: ['التقى ترمب وزير الخارجية.'] });
    expect(ids(archive, 'البريميرليغ')).toEqual(['league']);
    expect(ids(archive, 'ترامب')).toEqual([]);
    expect(archive.synonymGroups().some((group) => group.forms.includes('ترمب'))).toBe(false);
    expect(archive.synonymGroups().at(-1)).toEqual({
      forms: ['الدوري الممتاز', 'البريميرليغ'],
      source: 'file',
    });
  });

  it('is off with a synonym weight of 0', () => {
    const archive = new Archive({ ranking: { synonymWeight: 0, typoWeight: 0 } });
    archive.put({ id: 'short', paragraphs: ['التقى ترمب وزير الخارجية.'] });
    expect(ids(archive, 'ترامب')).toEqual([]);
  });
});

describe('parseSynonymsFile', () => {
  it('reads groups and removals', () => {
    expect(parseSynonymsFile('{"groups": [["أ ب", "ج"]], "remove": ["د"]}', 'f.json')).toEqual({
      groups: [['أ ب', 'ج']],
      remove: ['د'],
    });
    expect(parseSynonymsFile('{}', 'f.json')).toEqual({ groups: [], remove: [] });
  });

  it.each([
    ['not JSON', '{', /f\.json: not valid JSON/u],
    ['an array', '[]', /expected \{"groups"/u],
    ['a group of one form', '{"groups": [["أ"]]}', /two or more/u],
    ['an empty form', '{"groups": [["أ", " "]]}', /two or more non-empty/u],
    ['removals not strings', '{"remove": [1]}', /"remove" must be/u],
  ])('refuses %s, saying what is wrong', (_case, text, message) => {
    expect(() => parseSynonymsFile(text, 'f.json')).toThrow(message);
  });
});
