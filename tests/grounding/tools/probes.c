/* probes.c -- for tools/gen.py: reads intents, one per line, on stdin and
 * prints for each one line: the heuristics' prefilter probes as a JSON
 * array (heur_probes()), or an empty line when the intent has none.
 * Built by gen.py with the heuristics and util sources (needs pcre2). */
#include "../../../heuristics/heur.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    char err[256], line[1024], out[1024];
    struct heur_ctx *hx = heur_ctx_new(err, sizeof err);

    if (!hx) {
        fprintf(stderr, "probes: %s\n", err);
        return 1;
    }
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        heur_probes(hx, line, out, sizeof out);
        printf("%s\n", out);
    }
    heur_ctx_free(hx);
    return 0;
}
