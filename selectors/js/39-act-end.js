  /* 39-act-end.js: the end of the block that 30-act.js opens */
}
