  /* ---- 58-collect-guess.js: guess, ahead (50-collect.js's block) ------- */
  /* fold(norm(s)) === f, without making either string: norm() drops
   * zero-width spaces and collapses white space, fold() works char by
   * char (ASCII letters lower-cased here, the rest through fold()). */
  const WS1 = /\s/;
  function sameFolded(s, f) {
    let k = 0, gap = false;
    for (let j = 0; j < s.length; j++) {
      let c = s.charCodeAt(j);
      if (c === 0x200b) continue;
      if (c === 32 || (c >= 9 && c <= 13) ||
          (c > 127 && WS1.test(s.charAt(j)))) {
        gap = k > 0;
        continue;
      }
      if (gap) {
        if (f.charCodeAt(k++) !== 32) return false;
        gap = false;
      }
      if (c < 128) {
        if (c >= 65 && c <= 90) c += 32;
        if (f.charCodeAt(k++) !== c) return false;
      } else {
        const x = fold(s.charAt(j));
        if (!f.startsWith(x, k)) return false;
        k += x.length;
      }
    }
    return k === f.length;
  }
  P._sameFolded = sameFolded;

  /* The guess (opts.guess {w, kind, wait}: docs/CANDIDATES.md "Guess"):
   * the one emitted candidate whose name, label or text is exactly the
   * words w (folded; a label stands for its control), checked for
   * readiness as P.locateHandle() would check it (P.readyCheck(): at
   * once, or for a kind that takes frames waiting up to wait ms), with
   * the selector and fingerprint a new resolution reports. The
   * controller takes that answer only when its ranking picks the same
   * element, and saves a round trip. guessPick() finds it (-1 when no
   * single candidate shows the words). */
  function guessPick(g, emit) {
    if (typeof g.w !== 'string' || typeof g.kind !== 'string') return -1;
    const gw = fold(norm(g.w));
    if (!gw) return -1;
    const same = function (s) {
      return !!s && s.length >= gw.length >> 1 &&
        s.length <= gw.length * 2 && sameFolded(s, gw);
    };
    let pick = -1;
    for (let i = 0; i < emit.length; i++) {
      if (!emit[i]) continue;
      const t = S.els[i].localName;
      const form = t === 'input' || t === 'select' || t === 'textarea';
      if (!((named(i) && same(nameK(i))) || (form && same(labelK(i))) ||
            same(textK(i))))
        continue;
      const k = t === 'label' ? forOf(i) : i;
      if (pick >= 0 && pick !== k) return -1;     /* two show them */
      pick = k;
    }
    return pick;
  }
  function guessDone(r, i) {
    r.i = i;
    r.sel = P.selectorFor(r.h);
    r.fp = P.fingerprint(r.h);
    return r;
  }
  /* The guess's answer, null, or a promise of either (a kind that
   * takes frames, when it may wait). */
  function guessCheck(g, pick, id) {
    const i = id[pick];
    const ms = typeof g.wait === 'number' ? Math.min(g.wait, 1000) : 0;
    const r = P.readyCheck(S.els[pick], g.kind, ms);
    if (!r) return null;
    if (typeof r.then !== 'function') return guessDone(r, i);
    return r.then(function (a) { return a ? guessDone(a, i) : null; });
  }

  /* ---- Ahead: one collection for the read-only steps that follow ------
   * opts.ahead keeps what P.aheadCheck() needs of this collection: the
   * controller ranks the intents of the next read-only steps (wait_for,
   * extract, assert) over these records at once, and at each such step
   * asks whether the page is still the one they were made from -- the
   * same walk and layout level (reuseLevel() 2, the same build), no text
   * edited since, every record's value and checked state as they were --
   * and, when it is, checks its choice (walk position i) as a guess is
   * checked. Anything else answers {stale: true} and the step collects
   * afresh: a ranking made ahead is used only where a new collection
   * would give the same records. */
  let AH = null, ahSeq = 0;
  function aheadKeep(emit) {
    const vals = [];
    for (let i = 0; i < emit.length; i++) {
      const t = emit[i] ? S.els[i].localName : '';
      /* only these have a value or a checked state (valueOf()) */
      if (t === 'input' || t === 'select' || t === 'textarea')
        vals.push(i, valueOf(S.els[i]), S.els[i].checked === true);
    }
    /* the token names the document too: a new one starts ahSeq over */
    AH = { tok: S.gen + '#' + (++ahSeq), gen: S.gen, built: builtAt,
      ep: S.ep, vals: vals };
    return AH.tok;
  }
  P.aheadCheck = function (tok, i, kind, wait) {
    const A = AH, stale = { stale: true };
    P.begin();
    /* a new walk makes a new S, with a new gen */
    if (!A || A.tok !== tok || !S || S.gen !== A.gen ||
        reuseLevel(S.max, S.tcap) !== 2 || builtAt !== A.built ||
        S.ep !== A.ep || !(i >= 0 && i < S.els.length))
      return stale;
    const v = A.vals;
    for (let k = 0; k < v.length; k += 3) {
      const el = S.els[v[k]];
      if (valueOf(el) !== v[k + 1] || (el.checked === true) !== v[k + 2])
        return stale;
    }
    /* the walk is the one that met the roots: spare the selector checks
     * (guessDone()) their scan, as a collection does */
    if (!S.truncated) P.knownRoots(S.roots);
    const ms = typeof wait === 'number' ? Math.min(wait, 1000) : 0;
    const r = P.readyCheck(S.els[i], String(kind), ms);
    if (!r) return { ok: false };
    if (typeof r.then !== 'function') return guessDone(r, i);
    return r.then(function (a) {
      return a ? guessDone(a, i) : { ok: false };
    });
  };
