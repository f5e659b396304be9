  /* 59-collect-end.js: the end of the block that 50-collect.js opens */
}
