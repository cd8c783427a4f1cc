// <arshif-search>: Arshif's search page as a custom element, using only the public HTTP API.
// Another newsroom tool embeds it with one script tag:
//   <script type="module" src="https://arshif.example/embed.js"></script>
//   <arshif-search api="https://arshif.example"></arshif-search>
// Everything shown is set as text or built as elements (never innerHTML of hit text), and the element
// needs no inline script or style, so it works under a strict Content-Security-Policy.

const PAGE_SIZE = 10;
const FACETS = 'source,section,year';
const MODULE_URL = new URL(import.meta.url);

/** `el('a', {href: '#'}, 'text', child)`: an element with attributes and children (strings become text). */
function el(name, attributes = {}, ...children) {
  const element = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** A paragraph with its matched words in <mark>, from the hit's offsets: text nodes only. */
function highlighted(text, highlights) {
  const nodes = [];
  let cursor = 0;
  for (const [start, end] of highlights ?? []) {
    if (start < cursor) continue;
    nodes.push(document.createTextNode(text.slice(cursor, start)), el('mark', {}, text.slice(start, end)));
    cursor = end;
  }
  nodes.push(document.createTextNode(text.slice(cursor)));
  return nodes;
}

/** About 240 characters of a paragraph around its first match, cut at spaces, marked. */
function excerpt(text, highlights) {
  const first = highlights?.[0]?.[0] ?? 0;
  let from = Math.max(0, first - 80);
  if (from > 0) from = text.indexOf(' ', from) + 1 || from;
  let to = Math.min(text.length, from + 240);
  if (to < text.length) to = text.lastIndexOf(' ', to) > from ? text.lastIndexOf(' ', to) : to;
  const shifted = (highlights ?? [])
    .filter(([start, end]) => start >= from && end <= to)
    .map(([start, end]) => [start - from, end - from]);
  return [from > 0 ? '… ' : '', ...highlighted(text.slice(from, to), shifted), to < text.length ? ' …' : ''];
}

const STATE_KEYS = ['q', 'from', 'to', 'source', 'section', 'sort', 'page'];

class ArshifSearch extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.append(el('link', { rel: 'stylesheet', href: new URL('./arshif-search.css', MODULE_URL).href }));
    this.api = (this.getAttribute('api') ?? MODULE_URL.origin).replace(/\/$/u, '');
    this.syncUrl = this.hasAttribute('sync-url');
    this.query = el('input', {
      type: 'search',
      name: 'q',
      maxlength: 1000,
      placeholder: 'ابحث في الأرشيف: كلمات، "عبارة"، -استبعاد، +إلزام',
      'aria-label': 'نص البحث',
      autofocus: true,
    });
    this.from = el('input', { type: 'date', name: 'from', 'aria-label': 'من تاريخ' });
    this.to = el('input', { type: 'date', name: 'to', 'aria-label': 'إلى تاريخ' });
    this.sort = el(
      'select',
      { name: 'sort', 'aria-label': 'الترتيب' },
      el('option', { value: 'relevance' }, 'الأكثر صلة'),
      el('option', { value: 'date' }, 'الأحدث'),
    );
    this.source = el('select', { name: 'source', 'aria-label': 'المصدر' });
    this.section = el('select', { name: 'section', 'aria-label': 'القسم' });
    this.status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    // "Did you mean": the query corrected, when a word of it matched nothing or far less than a close one.
    this.suggestion = el('p', { class: 'suggestion', hidden: true });
    this.results = el('ol', { class: 'results' });
    this.pager = el('nav', { class: 'pager', 'aria-label': 'الصفحات' });
    this.article = el('section', { class: 'article', hidden: true, tabindex: -1, 'aria-label': 'المقال' });
    const form = el(
      'form',
      { role: 'search', onsubmit: (event) => (event.preventDefault(), this.submit()) },
      el('div', { class: 'box' }, this.query, el('button', { type: 'submit' }, 'بحث')),
      el(
        'div',
        { class: 'filters' },
        el('label', {}, 'من ', this.from),
        el('label', {}, 'إلى ', this.to),
        el('label', {}, 'المصدر ', this.source),
        el('label', {}, 'القسم ', this.section),
        el('label', {}, 'الترتيب ', this.sort),
      ),
    );
    for (const control of [this.from, this.to, this.sort, this.source, this.section]) {
      control.addEventListener('change', () => this.submit());
    }
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.article.hidden) this.closeArticle();
    });
    root.append(
      el(
        'div',
        { class: 'app', dir: 'rtl', lang: 'ar' },
        form,
        this.suggestion,
        this.status,
        this.results,
        this.pager,
        this.article,
      ),
    );
    this.state = this.syncUrl ? Object.fromEntries(new URLSearchParams(location.search)) : {};
    if (this.syncUrl)
      window.addEventListener('popstate', () =>
        this.restore(Object.fromEntries(new URLSearchParams(location.search))),
      );
    this.restore(this.state);
  }

  /** Shows the state (from the URL) in the form and searches it. */
  restore(state) {
    this.state = state;
    this.query.value = state.q ?? '';
    this.from.value = state.from ?? '';
    this.to.value = state.to ?? '';
    this.sort.value = state.sort === 'date' ? 'date' : 'relevance';
    this.pendingSource = state.source ?? '';
    this.pendingSection = state.section ?? '';
    if (state.q) void this.search();
    else this.show('empty-query');
  }

  /** A new search from the form: first page, state written to the URL. */
  submit() {
    const state = {
      q: this.query.value.trim(),
      from: this.from.value,
      to: this.to.value,
      source: this.source.value,
      section: this.section.value,
      sort: this.sort.value === 'date' ? 'date' : '',
      page: '',
    };
    this.go(state);
  }

  go(state) {
    this.state = Object.fromEntries(Object.entries(state).filter(([, value]) => value));
    this.pendingSource = this.state.source ?? '';
    this.pendingSection = this.state.section ?? '';
    if (this.syncUrl) {
      const search = new URLSearchParams(
        STATE_KEYS.filter((key) => this.state[key]).map((key) => [key, this.state[key]]),
      );
      history.pushState(null, '', `${location.pathname}${search.size ? `?${search}` : ''}`);
    }
    if (this.state.q) void this.search();
    else this.show('empty-query');
  }

  async search() {
    const page = Math.max(1, Number(this.state.page) || 1);
    const params = new URLSearchParams({
      q: this.state.q,
      limit: String(PAGE_SIZE),
      offset: String((page - 1) * PAGE_SIZE),
      facets: FACETS,
    });
    for (const key of ['from', 'to', 'source', 'section', 'sort'])
      if (this.state[key]) params.set(key, this.state[key]);
    const asked = (this.asked = params.toString());
    this.setAttribute('aria-busy', 'true');
    this.show('loading');
    try {
      const response = await fetch(`${this.api}/search?${params}`, {
        headers: { accept: 'application/json' },
      });
      const body = await response.json().catch(() => ({}));
      if (asked !== this.asked) return; // a newer search has started
      if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
      this.render(body, page);
    } catch (error) {
      if (asked === this.asked) this.show('error', error.message);
    } finally {
      if (asked === this.asked) this.removeAttribute('aria-busy');
    }
  }

  suggest(suggestion) {
    this.suggestion.hidden = !suggestion;
    this.suggestion.replaceChildren();
    if (!suggestion) return;
    const search = () => {
      this.query.value = suggestion;
      this.go({ ...this.state, q: suggestion, page: '' });
    };
    this.suggestion.append(
      'هل تقصد: ',
      el('button', { type: 'button', class: 'suggested', onclick: search }, suggestion),
      '؟',
    );
  }

  show(kind, message = '') {
    this.status.className = `status ${kind}`;
    this.status.textContent =
      kind === 'loading'
        ? 'جارٍ البحث…'
        : kind === 'error'
          ? `تعذّر البحث: ${message}`
          : kind === 'empty-query'
            ? 'اكتب كلمات للبحث.'
            : message;
    if (kind === 'loading' || kind === 'error' || kind === 'empty-query') this.suggest(undefined);
    if (kind !== 'loading') {
      this.results.replaceChildren();
      this.pager.replaceChildren();
    }
  }

  render(body, page) {
    this.suggest(body.suggestion);
    this.fillFacet(this.source, body.facets?.source ?? [], 'كل المصادر', this.pendingSource);
    this.fillFacet(this.section, body.facets?.section ?? [], 'كل الأقسام', this.pendingSection);
    if (body.hits.length === 0) {
      this.show('empty', `لا نتائج لـ «${body.query}».`);
      return;
    }
    const shown = `${(page - 1) * PAGE_SIZE + 1}–${(page - 1) * PAGE_SIZE + body.hits.length}`;
    this.status.className = 'status';
    this.status.textContent = `${body.totalExact === false ? 'أكثر من ' : ''}${body.total} فقرة تطابق البحث؛ النتائج ${shown}${body.partial ? ' (بحث جزئي)' : ''}.`;
    this.results.replaceChildren(
      ...body.hits.map((hit) =>
        el(
          'li',
          { class: 'hit' },
          el(
            'h3',
            {},
            el(
              'button',
              { type: 'button', class: 'open', onclick: () => void this.openArticle(hit) },
              ...(hit.title ? highlighted(hit.title, hit.titleHighlights) : [hit.id]),
            ),
          ),
          el(
            'p',
            { class: 'meta' },
            [hit.source, hit.published?.slice(0, 10), hit.section].filter(Boolean).join(' · '),
          ),
          el('p', { class: 'snippet' }, ...excerpt(hit.text, hit.highlights)),
          hit.copies?.length
            ? el(
                'p',
                { class: 'copies' },
                `نُشرت أيضًا في: ${hit.copies.map((copy) => copy.source ?? copy.id).join('، ')}`,
              )
            : null,
        ),
      ),
    );
    const pages = Math.ceil(Math.min(body.total, 10_000) / PAGE_SIZE);
    const goto = (target) => () => this.go({ ...this.state, page: target > 1 ? String(target) : '' });
    this.pager.replaceChildren(
      el('button', { type: 'button', disabled: page <= 1, onclick: goto(page - 1) }, 'السابق'),
      el('span', {}, `صفحة ${page}`),
      el(
        'button',
        { type: 'button', disabled: page >= pages || body.hits.length < PAGE_SIZE, onclick: goto(page + 1) },
        'التالي',
      ),
    );
  }

  fillFacet(select, counts, all, chosen) {
    const options = [el('option', { value: '' }, all)];
    for (const { value, count } of counts) options.push(el('option', { value }, `${value} (${count})`));
    if (chosen && !counts.some(({ value }) => value === chosen))
      options.push(el('option', { value: chosen }, chosen));
    select.replaceChildren(...options);
    select.value = chosen;
  }

  /** The whole article, the matched paragraph highlighted in its context. */
  async openArticle(hit) {
    this.lastFocus = this.shadowRoot.activeElement;
    this.article.hidden = false;
    this.article.replaceChildren(el('p', { class: 'status loading' }, 'جارٍ التحميل…'));
    try {
      const response = await fetch(`${this.api}/articles/${encodeURIComponent(hit.id)}`);
      const article = await response.json();
      if (!response.ok) throw new Error(article?.error?.message ?? `HTTP ${response.status}`);
      const paragraphs = article.paragraphs.map((text, para) =>
        para === hit.para
          ? el('p', { class: 'matched' }, ...highlighted(text, hit.highlights))
          : el('p', {}, text),
      );
      this.article.replaceChildren(
        el('button', { type: 'button', class: 'close', onclick: () => this.closeArticle() }, 'إغلاق'),
        el('h2', {}, article.title || article.id),
        el(
          'p',
          { class: 'meta' },
          [article.source, article.published, article.section].filter(Boolean).join(' · '),
        ),
        ...paragraphs,
      );
      this.article.focus();
      this.article.querySelector('.matched')?.scrollIntoView({ block: 'center' });
    } catch (error) {
      this.article.replaceChildren(
        el('button', { type: 'button', class: 'close', onclick: () => this.closeArticle() }, 'إغلاق'),
        el('p', { class: 'status error' }, `تعذّر تحميل المقال: ${error.message}`),
      );
    }
  }

  closeArticle() {
    this.article.hidden = true;
    this.article.replaceChildren();
    this.lastFocus?.focus();
  }
}

if (!customElements.get('arshif-search')) customElements.define('arshif-search', ArshifSearch);
