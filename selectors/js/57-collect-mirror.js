  /* ---- 57-collect-mirror.js: Mirror, records the controller holds -------
   * With opts.mirror = {gen, seq, ns} (what the controller holds: the
   * collector state's generation, how many mirrored answers it took, how
   * many strings of the kept table), a record the controller already has
   * unchanged goes out as its bare id, and "strs" carries only the
   * strings added since. A mismatch (another document, a lost answer, a
   * new controller) starts the mirror over: "seq" 1, every record in
   * full. docs/CANDIDATES.md "Mirrored collection". */
  let gens = 0;
  const MIRROR_STRS = 20000;     /* kept strings: more starts over */
  function newGen() {            /* unique across documents too */
    return performance.timeOrigin + ':' + (++gens) + ':' +
      Math.random().toString(36).slice(2, 10);
  }
  function mirrorStart(m) {
    if (m.gen !== S.gen || m.seq !== S.mseq || m.ns !== S.mstrs.length ||
        S.mstrs.length > MIRROR_STRS) {
      S.mseq = 0;
      S.mstrs = [];
      S.msidx = new Map();
      S.sent = [];
      S.recKey = '';        /* kept records refer to the old table */
    }
  }

  /* Candidate i in a mirrored answer: its record (as record() makes it,
   * with ID, MODALS, MEMO, STR and BOXES), or its bare walk position
   * when the controller holds that record already.
   * A mirrored record is kept whole with the layout level and string
   * table. Every mutation but a text edit drops that level; a text
   * edit forgets the records that may hold its text (forgetK(),
   * forgetNear()), and a kept record made before it is checked
   * against its box and container text, which the edit may have
   * moved or changed. Its value and checked state, which typing, a
   * click or a script change without a mutation, its label marks
   * and the modal count are compared on every call. */
  function mirrored(i, id, modals, memo, str, boxes) {
    const el = S.els[i], v = valueOf(el), ck = el.checked === true;
    /* S.rec[i]: the record made, with what it was made from: the
     * live values, the edit epoch, its box and container text */
    let k = S.rec[i];
    if (k && (k.v !== v || k.ck !== ck || k.lab !== S.lab[i] ||
              k.fk !== S.forK[i] || k.nm !== modals.length))
      k = undefined;
    /* text edited since it was made: it stands if its box and
     * container text do (what else it holds was forgotten) */
    if (k && k.ep !== S.ep) {
      if ((boxes ? boxPart(el, memo) : '') === k.box &&
          (!ctxEdited(i, k.ep) || ctxOf(i, memo) === k.ctx))
        k.ep = S.ep;
      else k = undefined;
    }
    if (!k) {
      k = { r: '', v: v, ck: ck, lab: S.lab[i], fk: S.forK[i],
        nm: modals.length, ep: S.ep, box: '', ctx: '' };
      k.r = record(i, id, modals, memo, str, boxes, v, k);
      S.rec[i] = k;
    }
    const r = k.r;
    if (S.sent[i] === r) return i;    /* mirrored ids are walk positions */
    S.sent[i] = r;
    return r;
  }
