/**
 * Reading level (SMOG grade) of a patient-information article, for Wagtail's content checks.
 *
 * Loaded in two places, by medical_content/content_checks.py:
 * - in the page preview, with the userbar: registers the evaluate function of the axe check
 *   "medical-content-smog-grade" through the userbar's `registerCheck`, so the Checks panel
 *   (and the userbar's own checker) lists an issue when the grade is above the target;
 * - in the page editor: on each `w-preview:content` event (sent by Wagtail after it has read
 *   the preview's main content), shows the grade under "Content metrics", pass or fail.
 * Both read their thresholds, selectors and messages from the check's options in Wagtail's
 * axe configuration, so only pages whose configuration has the check are graded.
 *
 * The algorithm is medical_content/readability.py, rule for rule: change both together.
 */
(() => {
  'use strict';

  const CHECK_ID = 'medical-content-smog-grade';
  const COMPOUND_PREFIXES = [
    'some', 'there', 'life', 'home', 'care', 'safe', 'time', 'like', 'fore', 'whole', 'base',
    'side', 'any',
  ];
  const EXCEPTIONS = { every: 2, evening: 2, business: 2, whereas: 2 };
  // Endings that add no syllable, unless the second pattern matches (at most one applies).
  const SILENT_ENDINGS = [
    [/[^aeiouy]es$/, /([sxzgc]|[cs]h|[^aeiouy][lr])es$/], // makes; not changes, tables
    [/[^aeiouytd]ed$/, null], // jumped; not treated, needed
    [/[^aeiouy]e$/, /[^aeiouy][lr]e$/], // make; not table, centre
    [/[^aeiouy]e(ly|ty|ful|ment|ness|less)$/, null], // safely, safety, movement
  ];
  const ABBREVIATION = /\b(e\.g|i\.e|Dr|Mr|Mrs|Ms|vs)\./gi;
  const SENTENCE_END = /[.!?]+["'\u201d\u2019)\]]*(?=\s|$)/u;
  const WORD = /\p{L}+(?:['\u2019-]\p{L}+)*/gu;
  const BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li, dt, dd, blockquote, figcaption, td, th';

  const matches = (word, pattern) => (word.match(pattern) || []).length;

  /** Syllables in one lower-case word of letters only. See readability.py's _count_word. */
  function countWord(word) {
    if (Object.hasOwn(EXCEPTIONS, word)) return EXCEPTIONS[word];
    for (const prefix of COMPOUND_PREFIXES) {
      const rest = word.slice(prefix.length);
      if (word.startsWith(prefix) && rest.length >= 3 && /[aeiouy]/.test(rest)) {
        return countWord(prefix) + countWord(rest);
      }
    }
    let count = matches(word[0].replace('y', 'b') + word.slice(1), /[aeiouy]+/g);
    count += matches(word, /iu/g);
    count += matches(word, /(?<![cgstxln])io/g);
    count += matches(word, /(?<![cgstl])ia/g);
    count += matches(word, /(?<![qg])ua/g);
    if (word.length > 3 && /[^aeiou]eas?$/.test(word)) count += 1;
    if (/ism$|[^aeiou]i(er|est)$/.test(word)) count += 1;
    if (SILENT_ENDINGS.some(([ending, unless]) => ending.test(word) && !unless?.test(word))) {
      count -= 1;
    }
    return Math.max(1, count);
  }

  /** Syllables in an English word: initialisms letter by letter, hyphenated parts added. */
  function countSyllables(word) {
    const letters = word.replace(/['\u2019]/g, '');
    if (!letters) return 0;
    const parts = letters.split('-').filter(Boolean);
    if (parts.length > 1) return parts.reduce((sum, part) => sum + countSyllables(part), 0);
    const upper = letters === letters.toUpperCase() && letters !== letters.toLowerCase();
    if (letters.length >= 2 && letters.length <= 5 && upper && matches(letters, /[AEIOU]/g) < 2) {
      return [...letters].reduce((sum, letter) => sum + (letter === 'W' ? 3 : 1), 0);
    }
    return countWord(letters.toLowerCase());
  }

  const words = (text) => text.match(WORD) || [];

  /** Sentences of one block (heading, paragraph, list item): a block always ends one. */
  function sentences(block) {
    const text = block.split(/\s+/).filter(Boolean).join(' ').replace(ABBREVIATION, '$1');
    return text
      .split(SENTENCE_END)
      .map((part) => part.trim())
      .filter((part) => words(part).length);
  }

  function smog(blocks, minSentences) {
    const found = blocks.flatMap(sentences);
    const polysyllables = found
      .flatMap(words)
      .filter((word) => countSyllables(word) >= 3).length;
    const grade =
      found.length >= minSentences
        ? 1.043 * Math.sqrt((polysyllables * 30) / found.length) + 3.1291
        : null;
    return { sentences: found.length, polysyllables, grade };
  }

  /**
   * The text a patient reads: each heading, paragraph and list item inside the readable parts
   * of the page (title, standfirst, body), leaving out the unreadable ones (sources, image
   * captions, callout labels). Navigation, footer and the cookie banner are never included.
   */
  function readableBlocks(doc, options) {
    const blocks = [];
    doc.querySelectorAll(options.readable.join(', ')).forEach((root) => {
      const clone = root.cloneNode(true);
      if (options.unreadable.length) {
        clone.querySelectorAll(options.unreadable.join(', ')).forEach((el) => el.remove());
      }
      const leaves = [clone, ...clone.querySelectorAll(BLOCKS)].filter(
        (el) => el.matches(BLOCKS) && !el.querySelector(BLOCKS),
      );
      leaves.forEach((el) => blocks.push(el.textContent));
    });
    return blocks;
  }

  const isEnglish = (lang) => /^en\b/i.test(lang || 'en');

  function gradePage(doc, lang, options) {
    if (!isEnglish(lang)) return { language: lang };
    return smog(readableBlocks(doc, options), options.minSentences);
  }

  const fill = (message, values) =>
    message.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));

  /** The axe check's evaluate: fails above the target, incomplete when it cannot grade. */
  function evaluate(node, options) {
    const doc = node.ownerDocument;
    const result = gradePage(doc, doc.documentElement.lang, options);
    this.data(result);
    if (result.grade === null || result.grade === undefined) return undefined;
    return result.grade <= options.target;
  }

  /** The check's options in the editor's axe configuration, or null on other pages. */
  function editorOptions() {
    const script = document.getElementById('checker-axe-configuration');
    if (!script) return null;
    try {
      const checks = JSON.parse(script.textContent).spec.checks || [];
      const check = checks.find(({ id }) => id === CHECK_ID);
      return check ? check.options : null;
    } catch {
      return null;
    }
  }

  /** The metric's element under "Content metrics", made from the template on first use. */
  function metricElement() {
    const existing = document.querySelector('[data-smog-metric]');
    if (existing) return existing;
    const template = document.getElementById('medical-content-smog-metric');
    const anchor = document.querySelector('[data-content-readability-score]');
    if (!template || !anchor) return null;
    const metric = template.content.firstElementChild.cloneNode(true);
    anchor.parentElement.after(metric);
    return metric;
  }

  function showMetric(result, options) {
    const metric = metricElement();
    if (!metric) return;
    const { messages } = options;
    const values = {
      grade: result.grade == null ? '' : result.grade.toFixed(1),
      target: options.target,
      sentences: result.sentences,
      min: options.minSentences,
    };
    let summary = messages.tooShort;
    if (result.language) summary = messages.language;
    else if (result.grade != null) {
      summary = result.grade > options.target ? messages.above : messages.within;
    }
    metric.dataset.smogState = result.language
      ? 'language'
      : result.grade == null
        ? 'too-short'
        : result.grade > options.target
          ? 'above'
          : 'within';
    metric.querySelector('[data-smog-grade]').textContent =
      result.grade == null ? messages.notGraded : values.grade;
    metric.querySelector('[data-smog-summary]').textContent = fill(summary, values);
  }

  window.medicalContentReadability = { countSyllables, sentences, words, smog, readableBlocks };

  // In a preview (and on the live page for editors): give the check its evaluate function,
  // before the userbar configures axe when the page has loaded.
  const userbar = window.wagtail && window.wagtail.userbar;
  if (userbar && typeof userbar.registerCheck === 'function') {
    userbar.registerCheck(CHECK_ID, evaluate);
  }

  // In the editor: grade the content Wagtail extracted from the preview, on every update.
  document.addEventListener('w-preview:content', (event) => {
    const options = editorOptions();
    if (!options) return;
    const { content } = event.detail;
    const doc = new DOMParser().parseFromString(content.innerHTML, 'text/html');
    showMetric(gradePage(doc, content.lang, options), options);
  });
})();
