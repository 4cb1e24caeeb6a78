/* Split points for the harnesses: the input's first 4 bytes seed a small
 * generator, so libFuzzer mutates where the data is cut as well as the
 * data itself. */
#ifndef FUZZ_SPLIT_H
#define FUZZ_SPLIT_H
#include <stddef.h>
#include <stdint.h>

typedef struct fsplit {
    uint32_t state;
} fsplit;

/* Takes the seed off the front of the input. */
static inline void fsplit_init(fsplit *s, const uint8_t **data, size_t *size) {
    s->state = 0x9e3779b9u;
    for (int i = 0; i < 4 && *size; i++) {
        s->state = (s->state << 8) ^ (s->state >> 24) ^ **data;
        (*data)++;
        (*size)--;
    }
}

/* The next piece's length, 1..left (small pieces are likelier). */
static inline size_t fsplit_next(fsplit *s, size_t left) {
    s->state = s->state * 1664525u + 1013904223u;
    uint32_t r = s->state >> 8;
    size_t cap = (r & 3) == 0 ? 1 : (r & 3) == 1 ? 7 : (r & 3) == 2 ? 64 : left;
    size_t n = 1 + (size_t)(r >> 2) % cap;
    return n > left ? left : n;
}
#endif
