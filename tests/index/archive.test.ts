import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/index/archive.js';

describe('Archive search across spellings', () => {
  const archive = new Archive();
  archive.put({ id: 'speech', paragraphs: ['جرى إلقاء الكلمة في الافتتاح.'] });
  archive.put({ id: 'art', paragraphs: ['فن الإلقاء يحتاج إلى تدريب.'] });
  archive.put({ id: 'plain', paragraphs: ['تم القاء القبض على المتهم.'] });
  archive.put({ id: 'commitment', paragraphs: ['أكد التزامه بالاتفاق.'] });
  archive.put({ id: 'the-commitment', paragraphs: ['شدد على الالتزام بالهدنة.'] });

  it.each([
    ['إلقاء', ['art', 'plain', 'speech']],
    ['الإلقاء', ['art', 'plain', 'speech']],
    ['القاء', ['art', 'plain', 'speech']],
    ['التزام', ['commitment', 'the-commitment']],
    ['الالتزام', ['commitment', 'the-commitment']],
  ])('%s finds the word with and without the article, with and without hamza', (query, ids) => {
    const { hits } = archive.search(query);
    expect(hits.map((hit) => hit.id).sort()).toEqual(ids);
    for (const hit of hits) expect(hit.highlights).toHaveLength(1);
  });
});
