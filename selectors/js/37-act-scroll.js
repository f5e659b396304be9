  /* ---- 37-act-scroll.js: scrolling (30-act.js's block) ----------------- */
  /* P.scrollTo(handle | {x,y} | "top"|"bottom"|"up"|"down") ->
   * {ok, x, y} (the window's scroll position afterwards). */
  P.scrollTo = function (arg) {
    const se = document.scrollingElement || document.documentElement;
    if (typeof arg === 'number') {
      const el = P.el(arg);
      if (!el || !el.isConnected) return { ok: false, reason: 'detached' };
      el.scrollIntoView({ block: 'center', inline: 'center',
        behavior: 'instant' });
    } else if (arg && typeof arg === 'object') {
      window.scrollTo({ left: +arg.x || 0, top: +arg.y || 0,
        behavior: 'instant' });
    } else if (arg === 'top') {
      window.scrollTo({ left: 0, top: 0, behavior: 'instant' });
    } else if (arg === 'bottom') {
      window.scrollTo({ left: 0, top: se.scrollHeight, behavior: 'instant' });
    } else if (arg === 'up' || arg === 'down') {
      window.scrollBy({ left: 0, top: (arg === 'up' ? -0.8 : 0.8) *
        window.innerHeight, behavior: 'instant' });
    } else {
      return { ok: false, reason: 'bad scroll target' };
    }
    return { ok: true, x: window.scrollX, y: window.scrollY };
  };
