  /* ---- 38-act-files.js (30-act.js's block): the file input behind a
   * styled upload control (selectors/files.c). The control a person sees
   * is the input itself, a <label> for it (often with the input hidden),
   * or a button or drop zone holding it; anything else (a button whose
   * script clicks an input elsewhere, or one it makes on the spot) is
   * found by clicking it with the browser's file chooser intercepted. */
  function isFileInput(el) {
    return !!el && el.localName === 'input' &&
      String(el.type).toLowerCase() === 'file';
  }
  /* The file input handle H stands for, or null. */
  P.fileInputOf = function (h) {
    const el = P.el(h);
    if (!el) return null;
    if (isFileInput(el)) return el;
    const lab = el.localName === 'label' ? el : el.closest('label');
    if (lab && isFileInput(lab.control)) return lab.control;
    const inside = el.querySelectorAll('input[type=file i]');
    if (inside.length === 1) return inside[0];
    if (el.shadowRoot) {
      const sh = el.shadowRoot.querySelectorAll('input[type=file i]');
      if (sh.length === 1) return sh[0];
    }
    return null;
  };
  /* What input EL holds after an upload, for the step's report. */
  P.fileInfo = function (el) {
    const fs = el && el.files ? Array.prototype.slice.call(el.files) : [];
    return {
      desc: isFileInput(el) ? P.describe(el) : String(el),
      multiple: !!(el && el.multiple),
      files: fs.map(function (f) { return f.name; })
    };
  };
