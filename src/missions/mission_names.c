#include "missions/mission_names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *mission_normalize_file_name(const char *name)
{
    char *out = strdup(name);
    if (!out)
        return NULL;
    for (char *p = out; *p; p++) {
        if (strchr(" \\/:*?\"<>|", *p))
            *p = '_';
        else if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    }
    return out;
}

bool mission_is_pbo_name(const char *name)
{
    size_t len = strlen(name);
    return len >= 4 && strcasecmp(name + len - 4, ".pbo") == 0;
}

char *mission_template_from_file_name(const char *name)
{
    if (!mission_is_pbo_name(name) || strlen(name) <= 4)
        return NULL;
    char *tpl = mission_normalize_file_name(name);
    if (tpl)
        tpl[strlen(tpl) - 4] = '\0';
    return tpl;
}

bool mission_template_valid(const char *tpl, char *why, size_t why_size)
{
    size_t len = strlen(tpl);
    if (len == 0 || len > MISSION_TEMPLATE_MAX) {
        snprintf(why, why_size, "Template must be 1 to %d bytes", MISSION_TEMPLATE_MAX);
        return false;
    }
    if (strcmp(tpl, ".") == 0 || strcmp(tpl, "..") == 0) {
        snprintf(why, why_size, "Template '%s' is not a mission name", tpl);
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)tpl; *p; p++) {
        if (isspace(*p) || *p < 0x20 || *p == 0x7f) {
            snprintf(why, why_size, "Template must not contain whitespace or control characters");
            return false;
        }
        if (*p == '"' || *p == '\'' || *p == '/' || *p == '\\') {
            snprintf(why, why_size, "Template must not contain quotes or path separators");
            return false;
        }
    }
    return true;
}

char *mission_cfg_class_name(const char *tpl)
{
    size_t len = strlen(tpl);
    char *out = malloc(len + 2);
    if (!out)
        return NULL;
    size_t pos = 0;
    if (isdigit((unsigned char)tpl[0]) || len == 0)
        out[pos++] = '_';
    for (size_t i = 0; i < len; i++)
        out[pos++] = isalnum((unsigned char)tpl[i]) ? tpl[i] : '_';
    out[pos] = '\0';
    return out;
}

bool mission_param_name_valid(const char *name)
{
    if (!(isalpha((unsigned char)name[0]) || name[0] == '_'))
        return false;
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return false;
    return true;
}
