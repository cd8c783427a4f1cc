import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';

/** Short wire items: headlines whose words no paragraph repeats, as RSS entries of one paragraph are. */
const WIRE = [
  { id: 'rss-0', title: 'خبر 0 عن دير الزور', paragraphs: ['تفاصيل لاحقا', 'المصدر وكالات'] },
  { id: 'rss-1', title: 'زلزال يضرب جنوب تركيا', paragraphs: ['شعر السكان بهزة قوية فجر اليوم'] },
];

/** A story named by its headline, and longer stories that mention the same words in their text. */
const STORY = {
  id: 'story',
  title: 'الشرطة الهندية تلاحق قردا اختطف رضيعا',
  paragraphs: [
    'طاردت قوات الأمن في ولاية أوتار براديش حيوانا هرب بطفل من منزله',
    'وعاد الطفل سالما إلى أسرته',
  ],
};
const MENTIONS = [
  {
    id: 'mention-1',
    title: 'حوادث غريبة',
    paragraphs: ['قال شهود إن قردا اختطف رضيعا من سريره وإن الشرطة الهندية تلاحق القرد منذ الصباح في القرية'],
  },
  {
    id: 'mention-2',
    title: 'أخبار منوعة',
    paragraphs: ['الشرطة الهندية تلاحق عصابة في مومباي', 'قرد يختطف هاتفا من سائح'],
  },
];

describe('a story is found by its headline', () => {
  it('finds an article whose title alone matches: its lead paragraph, once, the title words marked', () => {
    const archive = new Archive();
    for (const article of WIRE) archive.put(article);
    for (const query of ['دير الزور', 'خبر 0']) {
      const { hits, total } = archive.search(query);
      expect(
        hits.map((hit) => `${hit.id}#${hit.para}`),
        query,
      ).toEqual(['rss-0#0']);
      expect(total).toBe(1);
      expect(hits[0]!.highlights).toEqual([]);
    }
    const [hit] = archive.search('دير الزور').hits;
    expect(hit!.titleHighlights.map(([start, end]) => hit!.title.slice(start, end))).toEqual([
      'دير',
      'الزور',
    ]);
    // A paragraph that matches is still a hit of its own, and the title's words are marked on it too.
    const quake = archive.search('زلزال السكان').hits;
    expect(quake.map((each) => `${each.id}#${each.para}`)).toEqual(['rss-1#0']);
    expect(quake[0]!.highlights).toHaveLength(1);
    expect(quake[0]!.titleHighlights).toHaveLength(1);
  });

  it('ranks the story its headline names before stories that mention the words', () => {
    const archive = new Archive();
    for (const article of [STORY, ...MENTIONS]) archive.put(article);
    for (const query of ['الشرطه الهنديه تلاحق قردا اختطف رضيعا', 'تلاحق قردا اختطف']) {
      const { hits } = archive.search(query);
      expect(hits[0]?.id, query).toBe('story');
      expect(hits.map((hit) => hit.id)).toContain('mention-1');
    }
    // Only the lead paragraph stands for the story: its other paragraphs match nothing.
    expect(archive.search('تلاحق قردا اختطف').hits.filter((hit) => hit.id === 'story')).toHaveLength(1);
  });

  it('weighs a title more on the lead paragraph only when it holds every word searched', () => {
    const archive = new Archive();
    for (const article of [STORY, ...MENTIONS]) archive.put(article);
    // Two of the words in the story's title, one only in the others' text: the paragraph that holds
    // all three ranks first.
    const { hits } = archive.search('الشرطة الهندية عصابة');
    expect(hits[0]?.id).toBe('mention-2');
  });
});
