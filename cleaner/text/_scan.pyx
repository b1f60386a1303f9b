# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled word scan of :mod:`cleaner.text.scan`: the same answers as its
pure-Python ``scan_python``, one pass over the words and integer n-gram keys.

Built by ``hatch_build.py`` when the project is installed (``make clean-corpus`` does);
without a C compiler the pure-Python scan runs instead, giving identical records.
"""

from cpython.dict cimport PyDict_GetItem, PyDict_SetItem
from cpython.object cimport PyObject
from cpython.unicode cimport PyUnicode_GET_LENGTH
from libc.stdint cimport uint64_t
from libc.stdlib cimport free, malloc
from libc.string cimport memset

cdef enum:  # the class bits of cleaner.text.scan
    STOPWORD = 1
    LETTERLESS = 2


cdef inline Py_ssize_t _gram(
    uint64_t key, uint64_t* keys, Py_ssize_t* ids, Py_ssize_t mask, Py_ssize_t* grams
) noexcept nogil:
    """The id of the n-gram ``key`` (``keys`` hold key + 1; 0 is an empty slot): open
    addressing, a new id when the key is new."""
    cdef uint64_t stored = key + 1
    cdef Py_ssize_t slot = <Py_ssize_t>((key * <uint64_t>0x9E3779B97F4A7C15) >> 17) & mask
    while keys[slot] != 0:
        if keys[slot] == stored:
            return ids[slot]
        slot = (slot + 1) & mask
    keys[slot] = stored
    ids[slot] = grams[0]
    grams[0] += 1
    return ids[slot]


cdef list _top_ngrams(Py_ssize_t* word_ids, Py_ssize_t n_words, Py_ssize_t last_n):
    """``(top, first)`` for n = 2 up to ``last_n``: how often the most frequent n-gram
    occurs and where it first starts, until no n-gram repeats."""
    cdef list found = []
    if n_words < 2:
        return found
    cdef Py_ssize_t capacity = 4
    while capacity < 2 * n_words:
        capacity *= 2
    cdef uint64_t* keys = <uint64_t*>malloc(capacity * sizeof(uint64_t))
    cdef Py_ssize_t* slot_ids = <Py_ssize_t*>malloc(capacity * sizeof(Py_ssize_t))
    cdef Py_ssize_t* gram_at = <Py_ssize_t*>malloc(n_words * sizeof(Py_ssize_t))
    cdef Py_ssize_t* counts = <Py_ssize_t*>malloc(n_words * sizeof(Py_ssize_t))
    cdef Py_ssize_t* starts = <Py_ssize_t*>malloc(n_words * sizeof(Py_ssize_t))
    cdef Py_ssize_t n, k, p, n_starts, kept, top, first, grams
    if not (keys and slot_ids and gram_at and counts and starts):
        free(keys); free(slot_ids); free(gram_at); free(counts); free(starts)
        raise MemoryError()
    try:
        n_starts = n_words
        for p in range(n_words):
            starts[p] = p
            gram_at[p] = word_ids[p]  # the 1-grams: the words themselves
        for n in range(2, last_n + 1):
            # An n-gram is its (n-1)-gram's id and its last word: ids are unique per
            # distinct n-gram, so equal keys are equal n-grams.
            kept = 0
            for k in range(n_starts):
                if starts[k] + n <= n_words:
                    starts[kept] = starts[k]
                    kept += 1
            n_starts = kept
            memset(keys, 0, capacity * sizeof(uint64_t))
            grams = 0
            for k in range(n_starts):
                p = starts[k]
                gram_at[p] = _gram(
                    (<uint64_t>gram_at[p] << 32) | <uint64_t>word_ids[p + n - 1],
                    keys, slot_ids, capacity - 1, &grams,
                )
            memset(counts, 0, n_words * sizeof(Py_ssize_t))
            top = 0
            for k in range(n_starts):
                p = gram_at[starts[k]]
                counts[p] += 1
                if counts[p] > top:
                    top = counts[p]
            if top < 2:
                break
            first = -1
            kept = 0
            for k in range(n_starts):  # only where an n-gram repeats can an (n+1)-gram
                p = starts[k]
                if first < 0 and counts[gram_at[p]] == top:
                    first = p
                if counts[gram_at[p]] > 1:
                    starts[kept] = p
                    kept += 1
            n_starts = kept
            found.append((top, first))
    finally:
        free(keys); free(slot_ids); free(gram_at); free(counts); free(starts)
    return found


def scan(list words, object classes, Py_ssize_t last_n):
    """See :func:`cleaner.text.scan.scan_python`. Each word gets an integer id from a
    small per-document dict; the corpus-wide memo of word classes is asked once per
    distinct word, not once per occurrence (its table is too big for the CPU's cache)."""
    cdef Py_ssize_t n_words = len(words)
    cdef Py_ssize_t n_stop = 0, n_letterless = 0, chars = 0, i, word_id, kind
    cdef dict ids = {}
    cdef list distinct = []
    cdef PyObject* known
    cdef object word
    cdef Py_ssize_t* word_ids = <Py_ssize_t*>malloc((n_words + 1) * sizeof(Py_ssize_t))
    cdef Py_ssize_t* seen = <Py_ssize_t*>malloc((n_words + 1) * sizeof(Py_ssize_t))
    if not (word_ids and seen):
        free(word_ids); free(seen)
        raise MemoryError()
    try:
        for i in range(n_words):
            word = words[i]
            known = PyDict_GetItem(ids, word)
            if known is NULL:
                word_id = len(distinct)
                PyDict_SetItem(ids, word, word_id)
                distinct.append(word)
                seen[word_id] = 1
            else:
                word_id = <Py_ssize_t><object>known
                seen[word_id] += 1
            word_ids[i] = word_id
        for i in range(len(distinct)):
            word = distinct[i]
            chars += PyUnicode_GET_LENGTH(word) * seen[i]
            known = PyDict_GetItem(classes, word)
            kind = <Py_ssize_t><object>known if known is not NULL else classes[word]
            if kind & STOPWORD:
                n_stop += seen[i]
            if kind & LETTERLESS:
                n_letterless += seen[i]
        return n_stop, n_letterless, chars, _top_ngrams(word_ids, n_words, last_n)
    finally:
        free(word_ids); free(seen)
