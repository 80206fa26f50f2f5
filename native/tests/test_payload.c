/* Unit tests of the payload helpers against docs/SERIALIZATION.md's examples. */
#include "fastagents.h"
#include "harness.h"

#include <stdio.h>
#include <string.h>

static void expect(const fa_writer *w, const uint8_t *want, size_t n, int line) {
    if (fa_writer_finish(w) != (long)n || memcmp(w->buf, want, n) != 0) {
        char d[64];
        snprintf(d, sizeof d, "line %d: %ld bytes", line, fa_writer_finish(w));
        th_fail(__FILE__, line, "payload bytes differ", d);
    }
}

int main(void) {
    th_watchdog(30);
    uint8_t b[128];
    fa_writer w;

    fa_writer_init(&w, b, sizeof b);
    fa_put_string(&w, "abc", 3);
    static const uint8_t abc[] = {0xFC, 0xFF, 0xFF, 0xFF, 0x03, 0, 0, 0, 0x61, 0x62, 0x63};
    expect(&w, abc, sizeof abc, __LINE__);

    fa_writer_init(&w, b, sizeof b);
    fa_put_string(&w, "\xE3\x81\x82", 3);
    static const uint8_t a_jp[] = {0xFC, 0xFF, 0xFF, 0xFF, 0x01, 0, 0, 0, 0xE3, 0x81, 0x82};
    expect(&w, a_jp, sizeof a_jp, __LINE__);

    fa_writer_init(&w, b, sizeof b); /* U+1F600: 4 UTF-8 bytes, 2 UTF-16 units */
    fa_put_string(&w, "\xF0\x9F\x98\x80", 4);
    static const uint8_t emoji[] = {0xFB, 0xFF, 0xFF, 0xFF, 0x02, 0, 0, 0, 0xF0, 0x9F, 0x98, 0x80};
    expect(&w, emoji, sizeof emoji, __LINE__);

    fa_writer_init(&w, b, sizeof b);
    fa_put_string(&w, NULL, 0);
    fa_put_string(&w, "", 0);
    static const uint8_t null_empty[] = {0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0};
    expect(&w, null_empty, sizeof null_empty, __LINE__);

    fa_writer_init(&w, b, sizeof b);
    fa_put_string(&w, "\xC3\x28", 2); /* invalid UTF-8 */
    CHECK(fa_writer_finish(&w) == FA_EINVAL);

    /* Person { Age = 40, Name = "John" } */
    fa_writer_init(&w, b, sizeof b);
    fa_put_member_count(&w, 2);
    fa_put_i32(&w, 40);
    fa_put_string(&w, "John", 4);
    static const uint8_t person[] = {0x02, 0x28, 0, 0, 0, 0xFB, 0xFF, 0xFF, 0xFF, 0x04, 0, 0, 0, 0x4A, 0x6F, 0x68, 0x6E};
    expect(&w, person, sizeof person, __LINE__);

    /* class { byte 1; int 2; long 3 } */
    fa_writer_init(&w, b, sizeof b);
    fa_put_member_count(&w, 3);
    fa_put_u8(&w, 1);
    fa_put_i32(&w, 2);
    fa_put_i64(&w, 3);
    static const uint8_t packed[] = {0x03, 0x01, 0x02, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0};
    expect(&w, packed, sizeof packed, __LINE__);

    /* struct { byte A = 1; int B = 2; }: sizeof 8, padding zero */
    fa_writer_init(&w, b, sizeof b);
    fa_put_u8(&w, 1);
    fa_put_zeros(&w, 3);
    fa_put_i32(&w, 2);
    static const uint8_t padded[] = {0x01, 0, 0, 0, 0x02, 0, 0, 0};
    expect(&w, padded, sizeof padded, __LINE__);

    /* byte[] {1,2,3}; string[] {"a", null}; int[] {1,-1} */
    fa_writer_init(&w, b, sizeof b);
    fa_put_bytes(&w, "\x01\x02\x03", 3);
    fa_put_array_header(&w, 2);
    fa_put_string(&w, "a", 1);
    fa_put_string(&w, NULL, 0);
    fa_put_array_header(&w, 2);
    fa_put_i32(&w, 1);
    fa_put_i32(&w, -1);
    static const uint8_t arrays[] = {0x03, 0, 0, 0, 1, 2, 3, 0x02, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 0x01, 0, 0, 0, 0x61,
                                     0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0, 0, 0, 0x01, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF};
    expect(&w, arrays, sizeof arrays, __LINE__);

    /* out of room: the error sticks */
    uint8_t small[6];
    fa_writer_init(&w, small, sizeof small);
    fa_put_i32(&w, 1);
    fa_put_i32(&w, 2);
    fa_put_u8(&w, 3);
    CHECK(fa_writer_finish(&w) == FA_ERANGE && w.len == 4);

    /* reading back */
    fa_reader r;
    const char *s;
    size_t n;
    fa_reader_init(&r, person, sizeof person);
    CHECK(fa_get_member_count(&r) == 2);
    CHECK(fa_get_i32(&r) == 40);
    CHECK(fa_get_string(&r, &s, &n) == FA_OK && n == 4 && memcmp(s, "John", 4) == 0);
    CHECK(fa_reader_finish(&r) == FA_OK);

    fa_reader_init(&r, null_empty, sizeof null_empty);
    CHECK(fa_get_string(&r, &s, &n) == FA_OK && s == NULL);
    CHECK(fa_get_string(&r, &s, &n) == FA_OK && s != NULL && n == 0);
    CHECK(fa_reader_finish(&r) == FA_OK);

    fa_reader_init(&r, emoji, sizeof emoji);
    CHECK(fa_get_string(&r, &s, &n) == FA_OK && n == 4);
    static const uint8_t bad_units[] = {0xFC, 0xFF, 0xFF, 0xFF, 0x02, 0, 0, 0, 0x61, 0x62, 0x63};
    fa_reader_init(&r, bad_units, sizeof bad_units);
    CHECK(fa_get_string(&r, &s, &n) == FA_ERANGE);
    static const uint8_t utf16[] = {0x03, 0, 0, 0, 0x61, 0, 0x62, 0, 0x63, 0};
    fa_reader_init(&r, utf16, sizeof utf16);
    CHECK(fa_get_string(&r, &s, &n) == FA_ERANGE);
    static const uint8_t truncated[] = {0xF0, 0xFF, 0xFF, 0xFF, 0x0F, 0, 0, 0, 0x61};
    fa_reader_init(&r, truncated, sizeof truncated);
    CHECK(fa_get_string(&r, &s, &n) == FA_ERANGE);
    fa_reader_init(&r, packed, 5);
    CHECK(fa_get_member_count(&r) == 3);
    CHECK(fa_get_u8(&r) == 1);
    CHECK(fa_get_i32(&r) == 0 && r.error == FA_ERANGE);
    CHECK(fa_reader_finish(&r) == FA_ERANGE);
    static const uint8_t reserved[] = {250};
    fa_reader_init(&r, reserved, 1);
    fa_get_member_count(&r);
    CHECK(r.error == FA_ERANGE);

    fa_writer_init(&w, b, sizeof b);
    fa_put_f64(&w, 1.5);
    fa_put_f32(&w, -2.0f);
    fa_put_bool(&w, 7);
    fa_put_u16(&w, 0xBEEF);
    fa_reader_init(&r, b, (size_t)fa_writer_finish(&w));
    CHECK(fa_get_f64(&r) == 1.5);
    CHECK(fa_get_f32(&r) == -2.0f);
    CHECK(fa_get_bool(&r) == 1);
    CHECK(fa_get_u16(&r) == 0xBEEF);
    CHECK(fa_reader_finish(&r) == FA_OK);

    CHECK(strcmp(fa_strerror(FA_ETIMEDOUT), "timed out") == 0);
    CHECK(strcmp(fa_strerror(-999), "unknown error") == 0);
    CHECK(strcmp(fa_protocol_error_name(FA_PE_SLOW_READER), "SlowReader") == 0);
    CHECK(strcmp(fa_protocol_error_name(99), "Unknown") == 0);
    CHECK(strcmp(fa_dead_letter_reason_name(FA_DL_FRAME_TOO_LARGE), "FrameTooLarge") == 0);
    printf("test_payload: all passed\n");
    return 0;
}
