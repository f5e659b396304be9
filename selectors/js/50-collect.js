  /* ---- 50-collect.js: the candidate collector ---------------------------
   * P.collect(opts) walks the page once (document, open shadow roots,
   * same-origin frames), picks the elements a plain-words target may name
   * and returns ONE JSON string: the record document of docs/CANDIDATES.md.
   * P.cands[i] is the element of record i until the next collect().
   * opts: {max: record cap (default 5000), text: text cap (default 200),
   *        probes: [lower-case fragments] (optional: only candidates whose
   *        folded texts can contain one get a record: docs/CANDIDATES.md
   *        "Pruned collection"),
   *        boxes: false leaves out each record's box (the scorer does
   *        not read it; it costs a layout read per record),
   *        guess: {w: words, kind: readiness kind} (optional: the one
   *        candidate showing exactly those words is checked for
   *        readiness at once, as "guess"; guessReady()),
   *        ahead: keep this collection for P.aheadCheck() ("Ahead"
   *        below), its token as "ahead",
   *        profile: add per-phase times as "prof"}.
   * Speed: every layout read (bounding box, computed style) is memoised
   * for the call, nothing is written to the page, and the expensive fields
   * (accessible name, container text, heading, region, box) are computed
   * only for records that are emitted.
   * Nothing here reads test-only attributes: records carry only what a
   * real page shows (names, labels, text, ids, classes...).
   * The files 50-collect.js to 59-collect-end.js share one block, opened
   * here and closed in 59-collect-end.js: this file holds the collector's
   * state and P.collect(); 51-collect-reuse.js what one call keeps for
   * the next; 52-collect-read.js what a record reads of an element;
   * 53-collect-walk.js the walk; 54-collect-near.js near text;
   * 55-collect-prune.js what gets a record; 56-collect-record.js the
   * records; 57-collect-mirror.js the mirror; 58-collect-guess.js the
   * guess and the ranking ahead. */
{
  const norm = P.norm;
  const TEXT_INPUTS = new Set(['', 'text', 'email', 'password', 'search',
    'tel', 'url', 'number', 'date', 'datetime-local', 'month', 'week',
    'time']);
  const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head',
    'meta', 'link', 'title', 'br', 'hr', 'html', 'body', 'iframe', 'frame',
    'option', 'optgroup', 'datalist', 'path', 'g', 'use', 'defs', 'symbol',
    'circle', 'rect', 'line', 'polyline', 'polygon', 'ellipse', 'tspan',
    'text', 'stop', 'lineargradient', 'clippath', 'mask', 'source',
    'track', 'param', 'col', 'colgroup', 'tbody', 'thead', 'tfoot', 'tr',
    'table', 'ul', 'ol', 'dl', 'main', 'nav', 'header', 'footer', 'aside',
    'section', 'article', 'form', 'fieldset', 'slot']);
  const WIDGET = new Set(['button', 'link', 'checkbox', 'radio', 'switch',
    'tab', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option',
    'treeitem', 'combobox', 'textbox', 'searchbox', 'listbox', 'slider',
    'spinbutton', 'menu', 'menubar', 'gridcell']);
  const CLICK_ROLES = new Set(['button', 'link', 'checkbox', 'radio',
    'switch', 'tab', 'menuitem', 'menuitemcheckbox', 'menuitemradio',
    'option', 'treeitem', 'combobox', 'gridcell', 'slider']);
  /* Landmark words for the "region" field (the scorer's region words). */
  const REGION_TAG = { header: 'header', footer: 'footer', nav: 'nav',
    aside: 'sidebar', main: 'main', dialog: 'dialog', form: 'form' };
  const REGION_ROLE = { banner: 'header', contentinfo: 'footer',
    navigation: 'nav', complementary: 'sidebar', main: 'main',
    dialog: 'dialog', alertdialog: 'dialog', form: 'form', search: 'search',
    toolbar: 'toolbar', menu: 'menu', menubar: 'menu', tablist: 'tablist' };
  /* A form that names itself a search form (id or class): "search" too,
   * so that its text field is "the search box" (issue 22 pattern 1). */
  const SEARCHY = /search/i;
  /* The items of a repeated group (the rows of a table, the items of a
   * list): an ordinal counts within them (record "grp", issue 22
   * pattern 6), and a sibling item is never a label (prevText()). */
  const GROUP_ITEM = 'li,tr,dt,dd,article,[role=row],[role=listitem],' +
    '[role=treeitem],[role=option],[role=article]';
  const ITEM_TAG = /^(li|tr|dt|dd|article)$/;
  const ITEM_ROLE = /^(row|listitem|treeitem|option|article)$/;
  const CONTAINER = 'tr,li,[role=row],[role=listitem],[role=option],' +
    'article,[role=article],[class*=card],[class*=product],[class*=item],' +
    'dialog,[role=dialog],[role=alertdialog],[role=region],' +
    '[class*=cookie],[class*=consent],[class*=banner],[class*=modal]';
  /* Descendants that can put words into an accessible name that the
   * element's textContent lacks. */
  const NAMEY = '[aria-label],[aria-labelledby],[alt],[title],input,' +
    'select,textarea,img,svg,[role=img]';

  const WORDY = /[\p{L}\p{N}]/u;
  const NONASCII = /[^\x00-\x7f]/;
  /* Whitespace that P.norm would change: anything but single inner
   * spaces (and the zero-width space it drops). */
  const UNNORM = /[^\S ]|  |^ | $|\u200b/;

  /* The probe test's folding: lower case (JS), then Latin-1 and Latin
   * Extended-A letters to their base letters as heur__fold() does
   * (heuristics/heur_text.c). Applied to the probes too. It is a map from
   * one character to a fixed string (U+0130 and capital sigma, the two
   * letters toLowerCase() maps by context or to two characters, are
   * replaced first), and heur__fold() followed by it equals it alone, so
   * a probe found by the scorer's prefilter in a folded text is found
   * here in the same text: the test never drops a candidate the scorer
   * could score. */
  const L1 = 'aaaaaa0ceeeeiiiidnooooo*ouuuuy12aaaaaa0ceeeeiiiidnooooo*ouuuuy1y';
  const L1P = ['ae', 'th', 'ss'];
  const LA = 'aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll' +
    'lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs';
  const LATIN = /[\u00C0-\u017F]/g;
  function latin(ch) {
    const c = ch.charCodeAt(0);
    if (c >= 0x100) return LA[c - 0x100];
    const b = L1[c - 0xC0];
    return b === '*' ? ch : b >= '0' && b <= '2' ? L1P[+b] : b;
  }
  function fold(s) {
    if (!NONASCII.test(s)) return s.toLowerCase();
    return s.replace(/\u0130/g, 'I').replace(/\u03A3/g, '\u03C3')
      .toLowerCase().replace(LATIN, latin);
  }
  P._fold = fold;

  /* State of the collections: the candidate index, memoised reads,
   * per-candidate text. It outlives a collect() while the page stays the
   * same (see "Reuse" below); what S.hot holds is per call. */
  let S = null;

  /* One call: the walk (kept or new), the layout level (kept or new),
   * what gets a record, the records, and the answer. C holds what the
   * call's steps pass on. */
  P.collect = function (opts) {
    opts = opts || {};
    const c = { opts: opts, t0: performance.now(), max: opts.max || 5000,
      mir: opts.mirror && typeof opts.mirror === 'object' ? opts.mirror :
        null,
      probes: probesOf(opts.probes), tcap: opts.text || 200 };
    P.begin();
    c.reuse = reuseLevel(c.max, c.tcap);
    try {
      if (c.reuse === 0) walkAfresh(c.max, c.tcap);
      c.tWalk = performance.now();
      /* the walk met every root P.roots() would scan for: spare the
       * selector checks below (guessReady()) that scan */
      if (!S.truncated) P.knownRoots(S.roots);
      if (c.reuse < 2) layoutAfresh(c.reuse, c.tcap, c.tWalk);
      if (S.renear.length) markRenear();
      S.hotEp = (S.hotEp + 1) & 0x1fffffff;     /* a small integer */
      c.emit = c.probes ? emitPruned(c.probes) : emitAll();
      c.tKeep = performance.now();
      records(c);
      c.tRec = performance.now();
      return answer(c);
    } catch (e) {
      S = null;           /* half built: start over next time */
      domDirty = true;
      throw e;
    }
  };
  /* The answer of call C: ONE JSON string, the record document, or a
   * promise of it when its guess takes frames. */
  function answer(c) {
    const opts = c.opts, mir = c.mir;
    P.cands = c.cands;
    const g = opts.guess && typeof opts.guess === 'object' ?
      opts.guess : null;
    const pick = g ? guessPick(g, c.emit) : -1;
    const guess = pick >= 0 ? guessCheck(g, pick, c.id) : null;
    const later = !!guess && typeof guess.then === 'function';
    const doc = { v: 1, url: String(location.href), title: document.title,
      n: c.n, walked: S.walked, truncated: S.truncated,
      ms: Math.round((performance.now() - c.t0) * 10) / 10, reuse: c.reuse };
    if (guess && !later) doc.guess = guess;
    if (opts.ahead && (c.probes || mir)) doc.ahead = aheadKeep(c.emit);
    if (c.probes) doc.pruned = true;
    if (c.modals.length) doc.dialog = true;
    if (mir) {
      S.recKey = c.recKey;
      doc.gen = S.gen;
      doc.seq = ++S.mseq;
      doc.sbase = c.sbase;
    }
    if (opts.profile)
      doc.prof = { walk: c.tWalk - c.t0, keep: c.tKeep - c.tWalk,
        records: c.tRec - c.tKeep, guess: performance.now() - c.tRec,
        reuse: c.reuse };
    /* "strs" and "cands" go last, as text: the table by hand, since a
     * page's Array.prototype.toJSON (Prototype.js) would turn an array
     * into whatever it returns (a string is never asked) */
    let st = '';
    for (let i = mir ? c.sbase : 0; i < c.strs.length; i++)
      st += (st ? ',' : '') + JSON.stringify(c.strs[i]);
    const text = function () {
      const head = JSON.stringify(doc);
      return head.slice(0, -1) + ',"strs":[' + st + '],"cands":[' +
        c.recs + ']}';
    };
    if (!later) return text();
    /* a kind that spans frames: the answer waits for the guess (the
     * records are made; what they hold is as of now) */
    return guess.then(function (r) {
      if (r) doc.guess = r;
      return text();
    }, function () {
      return text();
    });
  }
