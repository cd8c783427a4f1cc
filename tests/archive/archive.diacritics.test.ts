import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';

describe('a query with vowel marks', () => {
  const archive = new Archive();
  archive.put({ id: 'knowledge', paragraphs: ['طلب العِلْم فريضة على كل باحث'] });
  archive.put({ id: 'bare', paragraphs: ['رفع العلم فوق المبنى الجديد'] });
  archive.put({ id: 'flag', paragraphs: ['رُفع العَلَم فوق مبنى البلدية'] });
  const ids = (query: string) => archive.search(query).hits.map((hit) => hit.id);

  it('ranks paragraphs whose marks agree first, unmarked next, other marks last, and loses none', () => {
    expect(ids('العَلَم')).toEqual(['flag', 'bare', 'knowledge']);
    expect(ids('العِلْم')).toEqual(['knowledge', 'bare', 'flag']);
  });

  it('takes a single incidental mark for no reading', () => {
    expect(ids('العلمُ')).toEqual(ids('العلم'));
  });

  it('finds every spelling when the query has no marks', () => {
    expect(ids('العلم').sort()).toEqual(['bare', 'flag', 'knowledge']);
  });
});
