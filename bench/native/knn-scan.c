/*
 * Native reference for the knn-scan bench (bench/qknn.bench.ts): exact 1-NN by brute force over a
 * column-major f32 block, with AVX2 (eight points per vector, sixteen per iteration, four queries per
 * pass), the layout and the order of operations of the WASM SIMD scan. Multiply and add stay separate
 * (built with -ffp-contract=off and no FMA intrinsics) so the distances, and hence the indices, are the
 * ones every engine of the project computes; ties go to the lowest index.
 *
 * Data: the bench's LCG uniforms (seed 1 for the block, seed 2 for the queries). Prints one JSON object:
 * CPU time per point–query distance (median of the timed calls) and an FNV-1a hash of the answer
 * indices, which the bench compares with the WASM scan's.
 *
 * usage: knn-scan D Q d reps
 */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void uniform(float *out, long n, uint32_t seed) {
  uint32_t s = seed;
  for (long i = 0; i < n; i++) {
    s = s * 1664525u + 1013904223u;
    out[i] = (float)((double)s / 4294967296.0);
  }
}

static int better(float d, int i, float bd, int bi) { return d < bd || (d == bd && i < bi); }

/* Lowest-index minimum over the eight lanes of (best, index). */
static void reduce_lanes(__m256 best, __m256i bi, int *out_idx, float *out_dist) {
  float d[8];
  int ix[8];
  _mm256_storeu_ps(d, best);
  _mm256_storeu_si256((__m256i *)ix, bi);
  float bd = d[0];
  int b = ix[0];
  for (int l = 1; l < 8; l++)
    if (better(d[l], ix[l], bd, b)) {
      bd = d[l];
      b = ix[l];
    }
  *out_idx = b;
  *out_dist = bd;
}

static float point_dist(const float *data, long stride, int i, int d, const float *q) {
  float acc = 0.0f;
  for (int f = 0; f < d; f++) {
    float e = data[f * stride + i] - q[f];
    acc += e * e;
  }
  return acc;
}

static void scan(const float *data, long stride, int n, int d, const float *queries, int nq, int *out_idx,
                 float *out_dist) {
  const __m256 inf = _mm256_set1_ps(__builtin_inff());
  const __m256i eight = _mm256_set1_epi32(8);
  const __m256i first = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  for (int g = 0; g < nq; g += 4) {
    const float *q[4];
    for (int u = 0; u < 4; u++) q[u] = queries + (long)(g + u < nq ? g + u : nq - 1) * d;
    __m256 b[4] = {inf, inf, inf, inf};
    __m256i bi[4];
    for (int u = 0; u < 4; u++) bi[u] = _mm256_set1_epi32(-1);
    __m256i idx = first;
    int i = 0;
    for (; i + 16 <= n; i += 16) {
      __m256 a[4], c[4];
      for (int u = 0; u < 4; u++) a[u] = c[u] = _mm256_setzero_ps();
      const float *p = data + i;
      for (int f = 0; f < d; f++) {
        const __m256 lo = _mm256_loadu_ps(p), hi = _mm256_loadu_ps(p + 8);
        for (int u = 0; u < 4; u++) {
          const __m256 s = _mm256_broadcast_ss(q[u] + f);
          __m256 e = _mm256_sub_ps(lo, s);
          a[u] = _mm256_add_ps(a[u], _mm256_mul_ps(e, e));
          e = _mm256_sub_ps(hi, s);
          c[u] = _mm256_add_ps(c[u], _mm256_mul_ps(e, e));
        }
        p += stride;
      }
      const __m256i idx2 = _mm256_add_epi32(idx, eight);
      for (int u = 0; u < 4; u++) {
        const __m256 h = _mm256_cmp_ps(c[u], a[u], _CMP_LT_OQ);
        const __m256 m1 = _mm256_blendv_ps(a[u], c[u], h);
        const __m256i ci = _mm256_castps_si256(
            _mm256_blendv_ps(_mm256_castsi256_ps(idx), _mm256_castsi256_ps(idx2), h));
        const __m256 m = _mm256_cmp_ps(m1, b[u], _CMP_LT_OQ);
        b[u] = _mm256_blendv_ps(b[u], m1, m);
        bi[u] = _mm256_castps_si256(
            _mm256_blendv_ps(_mm256_castsi256_ps(bi[u]), _mm256_castsi256_ps(ci), m));
      }
      idx = _mm256_add_epi32(idx2, eight);
    }
    for (int u = 0; u < 4 && g + u < nq; u++) reduce_lanes(b[u], bi[u], out_idx + g + u, out_dist + g + u);
    /* tail: indices above every lane's, so only a strict improvement counts */
    for (int j = i; j < n; j++)
      for (int u = 0; u < 4 && g + u < nq; u++) {
        const float dj = point_dist(data, stride, j, d, q[u]);
        if (dj < out_dist[g + u]) {
          out_dist[g + u] = dj;
          out_idx[g + u] = j;
        }
      }
  }
}

static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: knn-scan D Q d reps\n");
    return 2;
  }
  const int n = atoi(argv[1]), nq = atoi(argv[2]), d = atoi(argv[3]), reps = atoi(argv[4]);
  if (n < 1 || nq < 1 || d < 1 || reps < 1 || reps > 100) {
    fprintf(stderr, "knn-scan: D, Q, d must be positive and reps in 1..100\n");
    return 2;
  }
  if (!__builtin_cpu_supports("avx2")) {
    printf("{\"unsupported\":\"this CPU has no AVX2\"}\n");
    return 0;
  }
  float *data = malloc(sizeof(float) * (size_t)n * d), *queries = malloc(sizeof(float) * (size_t)nq * d);
  float *dist = malloc(sizeof(float) * nq);
  int *idx = malloc(sizeof(int) * nq);
  if (!data || !queries || !dist || !idx) {
    fprintf(stderr, "knn-scan: out of memory\n");
    return 1;
  }
  uniform(data, (long)n * d, 1);
  uniform(queries, (long)nq * d, 2);
  double ms[100];
  scan(data, n, n, d, queries, nq, idx, dist); /* warm-up */
  for (int r = 0; r < reps; r++) {
    const double t0 = cpu_ms();
    scan(data, n, n, d, queries, nq, idx, dist);
    ms[r] = cpu_ms() - t0;
  }
  qsort(ms, reps, sizeof(double), cmp_double);
  const double median = reps % 2 ? ms[reps / 2] : (ms[reps / 2 - 1] + ms[reps / 2]) / 2;
  uint32_t hash = 2166136261u;
  for (int g = 0; g < nq; g++) {
    hash ^= (uint32_t)idx[g];
    hash *= 16777619u;
  }
  printf("{\"ns_per_distance\":%.6f,\"index_hash\":%u}\n", median * 1e6 / ((double)n * nq), hash);
  free(data);
  free(queries);
  free(dist);
  free(idx);
  return 0;
}
