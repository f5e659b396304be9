/* heur_cands.h -- candidate records built by hand for the heuristics'
 * unit tests: a blank one (every string "", visible and enabled) and the
 * common kinds over it. */
#ifndef CDPILOT_TEST_HEUR_CANDS_H
#define CDPILOT_TEST_HEUR_CANDS_H

#include "../../heuristics/heur.h"

#include <string.h>

/* A blank candidate: every string "", visible and enabled. */
static inline struct heur_cand blank(int id, const char *tag, const char *role)
{
    struct heur_cand c;
    memset(&c, 0, sizeof c);
    c.id = id;
    c.tag = tag;
    c.role = role;
    c.name = c.label = c.placeholder = c.title = c.aria_label = c.alt = "";
    c.value = c.text = c.id_attr = c.name_attr = c.cls = c.testid = "";
    c.type = c.href = c.near = c.context = c.heading = c.region = "";
    c.form = "";
    c.for_id = -1;
    c.parent_id = -1;
    c.group = -1;
    c.visible = 1;
    c.enabled = 1;
    return c;
}

static inline struct heur_cand button(int id, const char *name)
{
    struct heur_cand c = blank(id, "button", "button");
    c.name = c.text = name;
    c.clickable = 1;
    c.type = "submit";
    return c;
}

static inline struct heur_cand link(int id, const char *name)
{
    struct heur_cand c = blank(id, "a", "link");
    c.name = c.text = name;
    c.href = "/x";
    c.clickable = 1;
    return c;
}

static inline struct heur_cand textbox(int id, const char *label)
{
    struct heur_cand c = blank(id, "input", "textbox");
    c.name = c.label = label;
    c.type = "text";
    c.editable = 1;
    return c;
}

#endif
