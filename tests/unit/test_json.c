/* The strict JSON layer every loader stands on (src/json.c): what it
 * refuses before cJSON sees the text, how it explains a syntax error, where
 * it says the error is, and what each reader accepts. Expected messages and
 * positions are counted by hand from the inputs. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/json.h"
#include "testutil.h"

typedef struct bad_doc {
    const char *text;
    size_t length; /* 0: strlen(text) */
    unsigned line, column;
    const char *message; /* a part of the message */
} bad_doc;

static const bad_doc bad_docs[] = {
    /* bytes refused before parsing */
    {"{\"a\":\"\xC3\x41\"}", 0, 1, 7, "not UTF-8"},           /* bad continuation */
    {"{\"a\":\"\xF5\x80\x80\x80\"}", 0, 1, 7, "not UTF-8"},   /* no such lead byte */
    {"{\"a\":\"\xE0\x80\xAF\"}", 0, 1, 7, "not UTF-8"},       /* overlong '/' */
    {"{\"a\":\"\xED\xA0\x80\"}", 0, 1, 7, "not UTF-8"},       /* surrogate D800 */
    {"{\"a\":\"\xF0\x80\x80\xAF\"}", 0, 1, 7, "not UTF-8"},   /* overlong, 4 bytes */
    {"{\"a\":\"\xF4\x90\x80\x80\"}", 0, 1, 7, "not UTF-8"},   /* above U+10FFFF */
    {"{\"a\":\"\xE2\x82", 0, 1, 7, "not UTF-8"},              /* cut at the end */
    {"{\"a\":\"x\ny\"}", 0, 1, 8, "unterminated string"},
    {"{\"a\":\"x\ry\"}", 0, 1, 8, "unterminated string"},
    {"{\"a\":\"x\001\"}", 0, 1, 8, "control character inside a string"},
    {"{\"a\":\f1}", 0, 1, 6, "control character outside a string"},
    {"{\"a\":\"x\0\"}", 10, 1, 8, "NUL byte"},
    {"  \r\n\t ", 0, 1, 1, "empty file"},
    /* syntax, with what was expected */
    {"{'a':1}", 0, 1, 2, "not single quotes"},
    {"{\"a\":'x'}", 0, 1, 6, "not single quotes"},
    {"{\"a\":1} x", 0, 1, 9, "after the end of the JSON value"},
    {"]", 0, 1, 1, "expected a JSON object"},
    {"{,}", 0, 1, 2, "expected a \"key\" in double quotes or '}'"},
    {"[1,]", 0, 1, 4, "no trailing commas"},
    {"{\"a\":1,,\"b\":2}", 0, 1, 8, "expected a \"key\" in double quotes"},
    {"{\"a\":}", 0, 1, 6, "expected a value (string in double quotes"},
    {"[\n  1\n  2\n]", 0, 3, 3, "expected ',' or ']'"},
    {"{\"a\":\"q\\\"\" 'b'}", 0, 1, 12, "expected ',' or '}'"}, /* escaped quote skipped */
    {"{\"a\":\x7F}", 0, 1, 6, "byte 0x7F"},
    {"{\"a\":[1,2", 0, 1, 10, "ends before the value is complete"},
    {"{\"a\":\"x\\", 0, 1, 8, "the file ends inside a string"},
    /* columns count characters, not bytes: "æø" are two columns */
    {"{\"æø\":1,}", 0, 1, 9, "no trailing commas"},
    {"{\"a\" 1}", 0, 1, 6, "expected ':' after the key"},
    {"{\"a\":1 \"b\":2}", 0, 1, 8, "expected ',' or '}'"},
    {"{\"a\":tru}", 0, 1, 6, "expected a value"},
    {"x", 0, 1, 1, "expected a JSON object"},
    {"\"x\" 1", 0, 1, 5, "after the end of the JSON value"},
    /* numbers cJSON would take but JSON does not */
    {"{\"a\":01}", 0, 1, 7, "must not start with 0"},
    {"{\"a\":-}", 0, 1, 7, "expected a digit"},
    {"{\"a\":1.}", 0, 1, 8, "after the decimal point"},
    {"{\"a\":1e}", 0, 1, 8, "in the exponent"},
    {"{\"a\":1E+}", 0, 1, 9, "in the exponent"},
    /* escapes */
    {"{\"a\":\"\\q\"}", 0, 1, 7, "invalid escape"},
    {"{\"a\":\"\\u12G4\"}", 0, 1, 7, "four hex digits"},
    {"{\"a\":\"\\u12", 0, 1, 7, "four hex digits"},
    {"{\"a\":\"\\u0000\"}", 0, 1, 7, "NUL character"},
    {"{\"a\":\"\\uDE00\"}", 0, 1, 7, "lone low surrogate"},
    {"{\"a\":\"\\uD83D\"}", 0, 1, 7, "followed by a low one"},
    {"{\"a\":\"\\uD83D\\u0041\"}", 0, 1, 7, "followed by a low one"},
    {"{\"a\":\"\\uD83Dxxxxxx\"}", 0, 1, 7, "followed by a low one"},
};

START_TEST(refused_documents)
{
    const bad_doc *b = &bad_docs[_i];
    size_t n = b->length ? b->length : strlen(b->text);
    bpa_json_doc doc;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_json_load_mem(&doc, "t.json", b->text, n, BPA_E_POLICY, &err);
    ck_assert_msg(st == BPA_E_POLICY, "case %d: status %d (%s)", _i, st, err.message);
    ck_assert_msg(strstr(err.message, b->message) != NULL, "case %d: message \"%s\"", _i,
                  err.message);
    ck_assert_msg(err.line == b->line && err.column == b->column, "case %d: at %u:%u", _i,
                  err.line, err.column);
    ck_assert_str_eq(err.file, "t.json");
    ck_assert_ptr_null(doc.root);
    ck_assert_ptr_null(doc.text);
}
END_TEST

START_TEST(depth_limit)
{
    char text[200];
    size_t n = 0;
    for (int i = 0; i < 64; i++)
        text[n++] = '[';
    for (int i = 0; i < 64; i++)
        text[n++] = ']';
    bpa_json_doc doc;
    bpa_error err;
    ck_assert_int_eq(bpa_json_load_mem(&doc, NULL, text, n, BPA_E_INPUT, &err), BPA_OK);
    ck_assert_str_eq(doc.name, "<input>");
    bpa_json_release(&doc);
    /* one more level is refused at the 65th bracket */
    memmove(text + 1, text, n);
    text[0] = '[';
    text[n + 1] = ']';
    n += 2;
    ck_assert_int_eq(bpa_json_load_mem(&doc, "d.json", text, n, BPA_E_INPUT, &err),
                     BPA_E_INPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "more than 64 levels"));
    ck_assert_uint_eq(err.column, 65);
    bpa_json_release(NULL);
}
END_TEST

/* Valid multibyte text of every length passes and is positioned. */
START_TEST(utf8_accepted)
{
    const char *text = "{\"a\":\"\xC3\xA6\xE2\x82\xAC\xF0\x9F\x98\x80\",\r\n \"b\":true,"
                       "\"c\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e6\\uD83D\\uDE00\","
                       "\"d\":[-0.5E-3,1e+5,0,[],{},null,false]}";
    bpa_json_doc doc;
    bpa_error err;
    ck_assert_int_eq(bpa_json_load_mem(&doc, "u.json", text, strlen(text), BPA_E_INPUT, &err),
                     BPA_OK);
    unsigned line, column;
    bpa_json_where(&doc, cJSON_GetObjectItemCaseSensitive(doc.root, "b"), &line, &column);
    ck_assert_uint_eq(line, 2);
    ck_assert_uint_eq(column, 6);
    bpa_json_where(&doc, NULL, &line, &column);
    ck_assert_uint_eq(line, 0);
    ck_assert_uint_eq(column, 0);
    /* a node from another tree is not in this document */
    cJSON *stray = cJSON_CreateNumber(1);
    bpa_json_where(&doc, stray, &line, &column);
    ck_assert_uint_eq(line, 0);
    long v = 7;
    ck_assert_int_eq(bpa_json_int(&doc, stray, "$.x", 0, 9, &v, &err), BPA_E_INPUT);
    ck_assert_int_eq(v, 7);
    cJSON_Delete(stray);
    bpa_json_release(&doc);
}
END_TEST

static const char readers_text[] =
    "{\n"
    "  \"s\": 1, \"e\": \"x\", \"i\": 1.5, \"j\": \"a\", \"k\": -3,\n"
    "  \"big\": 1234567890123456, \"t\": true, \"d\": \"2025-02-30\",\n"
    "  \"n\": null, \"o\": {\"p\": 1, \"p\": 2}, \"arr\": [1], \"f\": false,\n"
    "  \"neg\": -12, \"dec\": \"12.50\", \"whole\": 12, \"frac\": 12.5\n"
    "}\n";

START_TEST(readers)
{
    bpa_json_doc doc;
    bpa_error err;
    ck_assert_int_eq(bpa_json_load_mem(&doc, "r.json", readers_text, sizeof readers_text - 1,
                                       BPA_E_INPUT, &err),
                     BPA_OK);
    const cJSON *root = doc.root;
    const char *s = NULL;
    long l = 0;
    bool b = false, present = true;
    bpa_date d;
    static const char *const choices[] = {"work", "on_call", NULL};
    int idx = -1;

    ck_assert_int_eq(bpa_json_get_string(&doc, root, "$", "s", true, &s, &err), BPA_E_INPUT);
    ck_assert_str_eq(err.message, "expected a string, got a number");
    ck_assert_str_eq(err.path, "$.s");
    ck_assert_uint_eq(err.line, 2);
    ck_assert_uint_eq(err.column, 8);
    ck_assert_int_eq(bpa_json_get_string(&doc, root, "$", "zz", true, &s, &err), BPA_E_INPUT);
    ck_assert_str_eq(err.message, "missing required key \"zz\" (a string)");
    ck_assert_uint_eq(err.line, 1);
    ck_assert_int_eq(bpa_json_get_string(&doc, root, "$", "zz", false, &s, &err), BPA_OK);
    ck_assert_ptr_null(s);

    /* the type of each kind of value is named */
    static const struct { const char *key, *type; } types[] = {
        {"n", "null"}, {"o", "an object"}, {"arr", "an array"}, {"f", "true/false"},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        ck_assert_int_eq(bpa_json_get_string(&doc, root, "$", types[i].key, true, &s, &err),
                         BPA_E_INPUT);
        ck_assert_ptr_nonnull(strstr(err.message, types[i].type));
    }

    ck_assert_int_eq(bpa_json_get_enum(&doc, root, "$", "e", true, choices, &idx, &err),
                     BPA_E_INPUT);
    ck_assert_str_eq(err.message,
                     "\"x\" is not allowed here (expected one of: \"work\", \"on_call\")");
    ck_assert_int_eq(idx, -1);
    ck_assert_int_eq(bpa_json_get_enum(&doc, root, "$", "zz", false, choices, &idx, &err),
                     BPA_OK);

    ck_assert_int_eq(bpa_json_get_int(&doc, root, "$", "i", true, 0, 9, &l, &err), BPA_E_INPUT);
    ck_assert_str_eq(err.message, "expected a whole number, got 1.5");
    ck_assert_int_eq(bpa_json_get_int(&doc, root, "$", "j", true, 0, 9, &l, &err), BPA_E_INPUT);
    ck_assert_str_eq(err.message, "expected a whole number, got a string");
    ck_assert_int_eq(bpa_json_get_int(&doc, root, "$", "k", true, 0, 9, &l, &err), BPA_E_INPUT);
    ck_assert_str_eq(err.message, "-3 is out of range (0 to 9)");
    ck_assert_int_eq(bpa_json_get_int(&doc, root, "$", "neg", true, -20, 9, &l, &err), BPA_OK);
    ck_assert_int_eq(l, -12);
    ck_assert_int_eq(bpa_json_get_int(&doc, root, "$", "big", true, 0, 9, &l, &err),
                     BPA_E_INPUT);
    ck_assert_str_eq(err.message, "number 1234567890123456 has more than 15 digits");
    ck_assert_int_eq(bpa_json_get_int(&doc, root, "$", "zz", true, 0, 9, &l, &err),
                     BPA_E_INPUT);
    ck_assert_str_eq(err.message, "missing required key \"zz\" (a whole number)");

    ck_assert_int_eq(bpa_json_get_bool(&doc, root, "$", "s", true, &b, &err), BPA_E_INPUT);
    ck_assert_str_eq(err.message, "expected true or false, got a number");
    ck_assert_int_eq(bpa_json_get_bool(&doc, root, "$", "zz", true, &b, &err), BPA_E_INPUT);
    ck_assert_str_eq(err.message, "missing required key \"zz\" (true or false)");
    ck_assert_int_eq(bpa_json_get_bool(&doc, root, "$", "zz", false, &b, &err), BPA_OK);
    ck_assert(!b);
    ck_assert_int_eq(bpa_json_get_bool(&doc, root, "$", "t", true, &b, &err), BPA_OK);
    ck_assert(b);

    ck_assert_int_eq(bpa_json_get_date(&doc, root, "$", "d", true, &d, &err), BPA_E_INPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "\"2025-02-30\" is not a date"));
    ck_assert_uint_eq(err.line, 3);
    ck_assert_uint_eq(err.column, 44);

    mpq_t q;
    mpq_init(q);
    ck_assert_int_eq(bpa_json_get_decimal(&doc, root, "$", "dec", true, 0, q, &present, &err),
                     BPA_OK);
    ck_assert(present);
    ck_assert_int_eq(mpz_get_si(mpq_numref(q)), 25);
    ck_assert_int_eq(mpz_get_si(mpq_denref(q)), 2);
    ck_assert_int_eq(bpa_json_get_decimal(&doc, root, "$", "whole", true, 0, q, NULL, &err),
                     BPA_OK);
    ck_assert_int_eq(mpz_get_si(mpq_numref(q)), 12);
    /* a fractional JSON number is refused: money is written as a string */
    ck_assert_int_eq(bpa_json_get_decimal(&doc, root, "$", "frac", true, 0, q, NULL, &err),
                     BPA_E_INPUT);
    ck_assert_str_eq(err.path, "$.frac");
    ck_assert_int_eq(bpa_json_get_decimal(&doc, root, "$", "t", true, 0, q, NULL, &err),
                     BPA_E_INPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "got true/false"));
    ck_assert_int_eq(bpa_json_get_decimal(&doc, root, "$", "zz", false, 0, q, &present, &err),
                     BPA_OK);
    ck_assert(!present);
    ck_assert_int_eq(bpa_json_get_decimal(&doc, root, "$", "zz", true, 0, q, &present, &err),
                     BPA_E_INPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "a decimal string"));
    mpq_clear(q);

    /* objects: unknown keys list what is allowed, duplicates are refused */
    static const char *const allowed[] = {"p", NULL};
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "o");
    ck_assert_int_eq(bpa_json_expect_object(&doc, o, "$.o", allowed, &err), BPA_E_INPUT);
    ck_assert_str_eq(err.message, "key \"p\" given twice");
    ck_assert_str_eq(err.path, "$.o.p");
    ck_assert_uint_eq(err.line, 4); /* at the second "p"'s value */
    ck_assert_uint_eq(err.column, 33);
    ck_assert_int_eq(bpa_json_expect_object(&doc, o, "$.o", NULL, &err), BPA_E_INPUT);
    ck_assert_str_eq(err.message, "unknown key \"p\" (expected one of: )");
    ck_assert_int_eq(bpa_json_expect_object(&doc, cJSON_GetObjectItemCaseSensitive(root, "arr"),
                                            "$.arr", allowed, &err),
                     BPA_E_INPUT);
    ck_assert_str_eq(err.message, "expected an object, got an array");
    ck_assert_int_eq(bpa_json_expect_array(&doc, o, "$.o", &err), BPA_E_INPUT);
    ck_assert_str_eq(err.message, "expected an array, got an object");
    ck_assert_int_eq(
        bpa_json_expect_array(&doc, cJSON_GetObjectItemCaseSensitive(root, "arr"), "$", &err),
        BPA_OK);
    bpa_json_release(&doc);
}
END_TEST

START_TEST(files)
{
    bpa_json_doc doc;
    bpa_error err;
    ck_assert_int_eq(bpa_json_load_file(&doc, "/nonexistent/x.json", BPA_E_INPUT, &err),
                     BPA_E_IO);
    ck_assert_str_eq(err.file, "/nonexistent/x.json");
    ck_assert_ptr_nonnull(strstr(err.message, "cannot open"));
    ck_assert_int_eq(bpa_json_load_file(&doc, "/tmp", BPA_E_INPUT, &err), BPA_E_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "is a directory"));

    /* Past the 64 MiB limit: refused without reading on (a sparse file). */
    char path[] = "/tmp/bpa_json_big_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)BPA_JSON_MAX_BYTES + 1), 0);
    close(fd);
    ck_assert_int_eq(bpa_json_load_file(&doc, path, BPA_E_POLICY, &err), BPA_E_POLICY);
    ck_assert_ptr_nonnull(strstr(err.message, "larger than 64 MiB"));
    /* Exactly 64 MiB is read; it is then refused for its content (NUL bytes). */
    ck_assert_int_eq(truncate(path, (off_t)BPA_JSON_MAX_BYTES), 0);
    ck_assert_int_eq(bpa_json_load_file(&doc, path, BPA_E_POLICY, &err), BPA_E_POLICY);
    ck_assert_ptr_nonnull(strstr(err.message, "NUL byte"));
    unlink(path);
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("json");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, refused_documents, 0, (int)(sizeof bad_docs / sizeof bad_docs[0]));
    tcase_add_test(tc, depth_limit);
    tcase_add_test(tc, utf8_accepted);
    tcase_add_test(tc, readers);
    tcase_add_test(tc, files);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(json_suite)
