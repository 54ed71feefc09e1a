/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A stand-alone, deterministic driver for the libFuzzer harnesses, so a
 * short fuzz run is part of the ordinary (gcc) test suite: it replays the
 * seed corpus, then runs a bounded number of random mutations of it (bit
 * flips, byte insertion / deletion, chunk duplication, splices, dictionary
 * tokens, odd numbers, long repetitions) from a fixed seed.
 *
 *   fuzz-NAME-short [--runs N] [--seed S] [--max-len BYTES] [--dict FILE]
 *                   [--verbose] DIR|FILE...
 *
 * Directories are corpora: every file is replayed, then N mutations run
 * (default 3000; $ARCHBOARD_FUZZ_RUNS overrides --runs, so a slow test
 * setup such as valgrind can shorten every run).  Files given on their own
 * are only replayed (reproducers) unless --runs is given.  Seeds named valid-* must be accepted and
 * invalid-* refused.  On a crash the input is written to
 * NAME-crash-input in $ARCHBOARD_BUILDDIR (set by the test environment) or
 * else the current directory. */
#define G_LOG_DOMAIN "archboard-fuzz"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "fuzz-common.h"

#define DEFAULT_RUNS    3000
#define DEFAULT_MAX_LEN (256 * 1024)
#define MAX_POOL        512
#define MAX_STACK       6

/* Present when the program runs under AddressSanitizer / UBSan. */
extern void __sanitizer_set_death_callback (void (*callback) (void)) __attribute__ ((weak));

typedef struct {
  char   *name;
  GBytes *data;
} Seed;

typedef struct {
  guint64 state;
} Rng;

/* What the crash handler writes out: set before every run. */
static const guint8 *current_data;
static gsize         current_len;
static char          crash_path[4096];

static const char *const interesting_numbers[] = {
  "0", "-0", "1", "-1", "2", "255", "256", "65535", "65536", "2147483647",
  "2147483648", "-2147483649", "4294967296", "9007199254740993",
  "9223372036854775807", "-9223372036854775809", "18446744073709551616",
  "1e308", "1e309", "-1e309", "1e-400", "4.9e-324", "0.5", "-0.0", "1.0e+2",
  "NaN", "Infinity", "-Infinity", "0x10", "00", "1e", "--1", ".5", "5.",
  "100000000000000000000000000000000000000000", "3.4028235e38",
};

static const guint8 interesting_bytes[] = {
  0x00, 0x01, 0x0a, 0x0d, 0x20, '"', '\\', '{', '}', '[', ']', ',', ':',
  '-', '*', '#', '0', '9', 'e', '.', 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe2,
  0xed, 0xef, 0xf0, 0xf4, 0xf8, 0xff,
};

static guint64
rng_next (Rng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static gsize
rng_below (Rng  *rng,
           gsize n)
{
  return n == 0 ? 0 : (gsize) (rng_next (rng) % n);
}

/* A length that is usually small and sometimes large. */
static gsize
rng_span (Rng  *rng,
          gsize limit)
{
  gsize n;

  if (limit == 0)
    return 0;
  switch (rng_below (rng, 4))
    {
    case 0: n = 1; break;
    case 1: n = 1 + rng_below (rng, 8); break;
    case 2: n = 1 + rng_below (rng, 64); break;
    default: n = 1 + rng_below (rng, limit); break;
    }
  return MIN (n, limit);
}

static void
write_all (int         fd,
           const void *data,
           gsize       len)
{
  const char *p = data;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);
      if (n <= 0)
        {
          if (n < 0 && errno == EINTR)
            continue;
          return;
        }
      p += n;
      len -= (gsize) n;
    }
}

static void
save_current_input (void)
{
  static const char msg[] = "\nfuzz: the input that failed is in ";
  int fd;

  if (current_data == NULL || crash_path[0] == '\0')
    return;
  fd = open (crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return;
  write_all (fd, current_data, current_len);
  close (fd);
  write_all (2, msg, sizeof msg - 1);
  write_all (2, crash_path, strlen (crash_path));
  write_all (2, "\n", 1);
  current_data = NULL;
}

static void
on_fatal_signal (int sig)
{
  save_current_input ();
  signal (sig, SIG_DFL);
  raise (sig);
}

static void
install_crash_handlers (void)
{
  /* Under a sanitizer its own report comes first, then the callback. */
  if (__sanitizer_set_death_callback != NULL)
    __sanitizer_set_death_callback (save_current_input);
  else
    {
      signal (SIGSEGV, on_fatal_signal);
      signal (SIGBUS, on_fatal_signal);
      signal (SIGFPE, on_fatal_signal);
      signal (SIGILL, on_fatal_signal);
    }
  signal (SIGABRT, on_fatal_signal);
  signal (SIGTRAP, on_fatal_signal);
}

/* Runs one input from an exactly sized heap copy, so reading past its end
 * is caught by ASan or valgrind. */
static gboolean
run_one (const guint8 *data,
         gsize         len)
{
  guint8 *copy = g_malloc (MAX (len, 1));

  if (len > 0)
    memcpy (copy, data, len);
  current_data = copy;
  current_len = len;
  ab_fuzz_last_accepted = FALSE;
  LLVMFuzzerTestOneInput (copy, len);
  current_data = NULL;
  g_free (copy);
  return ab_fuzz_last_accepted;
}

/* libFuzzer dictionary: lines name="value" or "value"; \\ \" \xHH escapes. */
static GPtrArray *
load_dictionary (const char  *path,
                 GError     **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *s = lines[i];
      const char *q;
      g_autoptr(GByteArray) token = g_byte_array_new ();

      while (*s == ' ' || *s == '\t')
        s++;
      if (*s == '\0' || *s == '#')
        continue;
      q = strchr (s, '"');
      if (q == NULL)
        goto bad;
      for (q++; *q != '"'; q++)
        {
          guint8 c;

          if (*q == '\0')
            goto bad;
          if (*q == '\\')
            {
              q++;
              if (*q == 'x' && g_ascii_isxdigit (q[1]) && g_ascii_isxdigit (q[2]))
                {
                  c = (guint8) (g_ascii_xdigit_value (q[1]) * 16 + g_ascii_xdigit_value (q[2]));
                  q += 2;
                }
              else if (*q == '\\' || *q == '"')
                c = (guint8) *q;
              else
                goto bad;
            }
          else
            c = (guint8) *q;
          g_byte_array_append (token, &c, 1);
        }
      g_ptr_array_add (tokens, g_byte_array_free_to_bytes (g_steal_pointer (&token)));
      continue;
    bad:
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s:%u: not a dictionary entry", path, i + 1);
      return NULL;
    }
  return g_steal_pointer (&tokens);
}

static int
compare_seeds (gconstpointer a,
               gconstpointer b)
{
  const Seed *sa = *(Seed * const *) a;
  const Seed *sb = *(Seed * const *) b;

  return strcmp (sa->name, sb->name);
}

static void
seed_free (Seed *seed)
{
  g_free (seed->name);
  g_bytes_unref (seed->data);
  g_free (seed);
}

static gboolean
add_seed_file (GPtrArray   *seeds,
               const char  *path,
               GError     **error)
{
  char *contents;
  gsize len;
  Seed *seed;

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  seed = g_new0 (Seed, 1);
  seed->name = g_strdup (path);
  seed->data = g_bytes_new_take (contents, len);
  g_ptr_array_add (seeds, seed);
  return TRUE;
}

static gboolean
add_seed_dir (GPtrArray   *seeds,
              const char  *dir_path,
              GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, error);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);

      if (name[0] == '.' || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (!add_seed_file (seeds, path, error))
        return FALSE;
    }
  return TRUE;
}

/* Replaces @del bytes at @pos by @len bytes of @data (which may point
 * into @buf). */
static void
replace_range (GByteArray   *buf,
               gsize         pos,
               gsize         del,
               const guint8 *data,
               gsize         len)
{
  g_autofree guint8 *copy = g_memdup2 (data, len);
  gsize old_len = buf->len;
  gsize tail = old_len - pos - del;

  if (len > del)
    g_byte_array_set_size (buf, (guint) (old_len + len - del));
  memmove (buf->data + pos + len, buf->data + pos + del, tail);
  if (len > 0)
    memcpy (buf->data + pos, copy, len);
  if (len < del)
    g_byte_array_set_size (buf, (guint) (old_len + len - del));
}

static void
insert_bytes (GByteArray   *buf,
              gsize         pos,
              const guint8 *data,
              gsize         len)
{
  replace_range (buf, pos, 0, data, len);
}

static void
mutate (GByteArray *buf,
        Rng        *rng,
        GPtrArray  *pool,
        GPtrArray  *dict,
        gsize       max_len)
{
  gsize len = buf->len;

  switch (rng_below (rng, 13))
    {
    case 0: /* flip a bit */
      if (len > 0)
        buf->data[rng_below (rng, len)] ^= (guint8) (1u << rng_below (rng, 8));
      break;

    case 1: /* set an interesting byte */
      if (len > 0)
        buf->data[rng_below (rng, len)] =
          interesting_bytes[rng_below (rng, G_N_ELEMENTS (interesting_bytes))];
      break;

    case 2: /* insert a few random or interesting bytes */
      {
        guint8 bytes[4];
        gsize n = 1 + rng_below (rng, sizeof bytes);

        for (gsize i = 0; i < n; i++)
          bytes[i] = rng_below (rng, 2) ? (guint8) rng_next (rng)
                     : interesting_bytes[rng_below (rng, G_N_ELEMENTS (interesting_bytes))];
        insert_bytes (buf, rng_below (rng, len + 1), bytes, n);
      }
      break;

    case 3: /* delete a range */
      if (len > 0)
        {
          gsize pos = rng_below (rng, len);
          g_byte_array_remove_range (buf, (guint) pos, (guint) rng_span (rng, len - pos));
        }
      break;

    case 4: /* duplicate a chunk somewhere else */
      if (len > 0)
        {
          gsize from = rng_below (rng, len);
          gsize n = rng_span (rng, len - from);
          insert_bytes (buf, rng_below (rng, len + 1), buf->data + from, n);
        }
      break;

    case 5: /* splice in a chunk of another input */
      {
        GBytes *other = g_ptr_array_index (pool, rng_below (rng, pool->len));
        gsize olen;
        const guint8 *odata = g_bytes_get_data (other, &olen);

        if (olen > 0)
          {
            gsize from = rng_below (rng, olen);
            gsize n = rng_span (rng, olen - from);
            gsize pos = rng_below (rng, len + 1);

            if (rng_below (rng, 2))
              replace_range (buf, pos, len - pos, odata + from, olen - from);
            else
              insert_bytes (buf, pos, odata + from, n);
          }
      }
      break;

    case 6: /* insert a dictionary token */
    case 7: /* replace a range by a dictionary token */
      if (dict != NULL && dict->len > 0)
        {
          GBytes *token = g_ptr_array_index (dict, rng_below (rng, dict->len));
          gsize tlen;
          const guint8 *tdata = g_bytes_get_data (token, &tlen);
          gsize pos = rng_below (rng, len + 1);
          gsize del = len > pos && rng_below (rng, 2) ? rng_span (rng, MIN (len - pos, 16)) : 0;

          replace_range (buf, pos, del, tdata, tlen);
        }
      break;

    case 8: /* replace a number by an interesting one */
      if (len > 0)
        {
          gsize pos = rng_below (rng, len);
          gsize end;
          const char *num = interesting_numbers[rng_below (rng, G_N_ELEMENTS (interesting_numbers))];

          while (pos < len && !g_ascii_isdigit (buf->data[pos]))
            pos++;
          if (pos == len)
            pos = rng_below (rng, len);
          while (pos > 0 && (g_ascii_isdigit (buf->data[pos - 1]) || buf->data[pos - 1] == '-'
                             || buf->data[pos - 1] == '.'))
            pos--;
          end = pos;
          while (end < len && (g_ascii_isdigit (buf->data[end]) || buf->data[end] == '.'
                               || buf->data[end] == 'e' || buf->data[end] == '-'))
            end++;
          replace_range (buf, pos, end - pos, (const guint8 *) num, strlen (num));
        }
      break;

    case 9: /* truncate */
      if (len > 0)
        g_byte_array_set_size (buf, (guint) rng_below (rng, len));
      break;

    case 10: /* a long repetition: deep nesting, long strings, many items */
      {
        static const char *const units[] = { "[", "{\"a\":", "\"aaaaaaaa", "0,", "[],", "\\u00e9",
                                             "a", "\n", "#", "- ", "**", "\xc3\xa9" };
        const char *unit = units[rng_below (rng, G_N_ELEMENTS (units))];
        gsize ulen = strlen (unit);
        gsize times = 2 + rng_below (rng, rng_below (rng, 2) ? 100 : 5000);
        gsize pos = rng_below (rng, len + 1);
        g_autoptr(GByteArray) run = g_byte_array_sized_new ((guint) (ulen * times));

        if (len > 0 && rng_below (rng, 3) == 0)
          {
            gsize from = rng_below (rng, len);
            ulen = rng_span (rng, len - from);
            ulen = MIN (ulen, 32);
            for (gsize i = 0; i < times && run->len + ulen <= max_len; i++)
              g_byte_array_append (run, buf->data + from, (guint) ulen);
          }
        else
          for (gsize i = 0; i < times && run->len + ulen <= max_len; i++)
            g_byte_array_append (run, (const guint8 *) unit, (guint) ulen);
        insert_bytes (buf, pos, run->data, run->len);
      }
      break;

    case 11: /* overwrite a chunk with another chunk of the same input */
      if (len > 1)
        {
          gsize from = rng_below (rng, len);
          gsize to = rng_below (rng, len);
          gsize n = rng_span (rng, len - from);

          /* (MIN evaluates its arguments twice: no calls inside it.) */
          n = MIN (n, len - to);
          memmove (buf->data + to, buf->data + from, n);
        }
      break;

    default: /* swap two adjacent lines */
      if (len > 0)
        {
          gsize pos = rng_below (rng, len);
          guint8 *a = memchr (buf->data + pos, '\n', len - pos);
          guint8 *b;

          if (a == NULL)
            break;
          b = memchr (a + 1, '\n', (gsize) (buf->data + len - (a + 1)));
          if (b != NULL)
            {
              gsize start = pos;
              while (start > 0 && buf->data[start - 1] != '\n')
                start--;
              {
                gsize first = (gsize) (a + 1 - (buf->data + start));
                gsize second = (gsize) (b + 1 - (a + 1));
                g_autofree guint8 *tmp = g_memdup2 (buf->data + start, first + second);
                memcpy (buf->data + start, tmp + first, second);
                memcpy (buf->data + start + second, tmp, first);
              }
            }
        }
      break;
    }

  if (buf->len > max_len)
    g_byte_array_set_size (buf, (guint) max_len);
}

static int
usage (const char *prog)
{
  fprintf (stderr, "usage: %s [--runs N] [--seed S] [--max-len BYTES] [--dict FILE] "
                   "[--verbose] DIR|FILE...\n", prog);
  return 2;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) seed_free);
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) dict = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  const char *env_runs = g_getenv ("ARCHBOARD_FUZZ_RUNS");
  gint64 runs = -1;
  guint64 seed_value = 1;
  gsize max_len = DEFAULT_MAX_LEN;
  gboolean verbose = FALSE;
  gboolean any_dir = FALSE;
  guint n_accepted = 0;
  guint failures = 0;
  gint64 start;
  double seconds;
  Rng rng;
  int i;

  setvbuf (stdout, NULL, _IOLBF, 0);
  name = g_path_get_basename (argv[0]);
  if (g_str_has_suffix (name, "-short"))
    name[strlen (name) - strlen ("-short")] = '\0';

  for (i = 1; i < argc && g_str_has_prefix (argv[i], "--"); i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--verbose"))
        verbose = TRUE;
      else if (i + 1 >= argc)
        return usage (argv[0]);
      else if (g_str_equal (arg, "--runs"))
        runs = g_ascii_strtoll (argv[++i], NULL, 10);
      else if (g_str_equal (arg, "--seed"))
        seed_value = g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (arg, "--max-len"))
        max_len = (gsize) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (arg, "--dict"))
        {
          dict = load_dictionary (argv[++i], &error);
          if (dict == NULL)
            {
              fprintf (stderr, "%s: %s\n", name, error->message);
              return 2;
            }
        }
      else
        return usage (argv[0]);
    }
  if (i >= argc)
    return usage (argv[0]);

  for (; i < argc; i++)
    {
      gboolean ok;

      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          any_dir = TRUE;
          ok = add_seed_dir (seeds, argv[i], &error);
        }
      else
        ok = add_seed_file (seeds, argv[i], &error);
      if (!ok)
        {
          fprintf (stderr, "%s: %s\n", name, error->message);
          return 2;
        }
    }
  if (seeds->len == 0)
    {
      fprintf (stderr, "%s: no seed inputs\n", name);
      return 2;
    }
  g_ptr_array_sort (seeds, compare_seeds);

  if (!any_dir)
    runs = MAX (runs, 0);
  else if (env_runs != NULL && *env_runs != '\0')
    runs = g_ascii_strtoll (env_runs, NULL, 10);
  else if (runs < 0)
    runs = DEFAULT_RUNS;

  {
    /* Beside the build, not in the source tree when run by hand from it. */
    const char *dir = g_getenv ("ARCHBOARD_BUILDDIR");

    g_snprintf (crash_path, sizeof crash_path, "%s/%s-crash-input",
                dir != NULL && *dir != '\0' ? dir : cwd, name);
  }
  install_crash_handlers ();
  LLVMFuzzerInitialize (&argc, &argv);

  start = g_get_monotonic_time ();

  /* The seeds first, each checked against its name. */
  for (guint s = 0; s < seeds->len; s++)
    {
      Seed *seed = g_ptr_array_index (seeds, s);
      g_autofree char *base = g_path_get_basename (seed->name);
      gsize len;
      const guint8 *data = g_bytes_get_data (seed->data, &len);
      gboolean accepted = run_one (data, len);

      if (verbose)
        printf ("%s: %s %s\n", name, seed->name, accepted ? "accepted" : "refused");
      if (g_str_has_prefix (base, "valid-") && !accepted)
        {
          fprintf (stderr, "%s: %s is a valid seed but was refused\n", name, seed->name);
          failures++;
        }
      else if (g_str_has_prefix (base, "invalid-") && accepted)
        {
          fprintf (stderr, "%s: %s is an invalid seed but was accepted\n", name, seed->name);
          failures++;
        }
      g_ptr_array_add (pool, g_bytes_ref (seed->data));
    }

  /* Then mutations.  Accepted mutants join the pool: they got past the
   * validation, so their neighbourhood reaches deeper code. */
  rng.state = seed_value;
  {
    g_autoptr(GByteArray) buf = g_byte_array_new ();

    for (gint64 r = 0; r < runs; r++)
      {
        GBytes *base = g_ptr_array_index (pool, rng_below (&rng, pool->len));
        gsize blen;
        const guint8 *bdata = g_bytes_get_data (base, &blen);
        gsize n_mutations = 1 + rng_below (&rng, MAX_STACK);

        g_byte_array_set_size (buf, 0);
        g_byte_array_append (buf, bdata, (guint) blen);
        for (gsize m = 0; m < n_mutations; m++)
          mutate (buf, &rng, pool, dict, max_len);

        if (run_one (buf->data, buf->len))
          {
            GBytes *copy = g_bytes_new (buf->data, buf->len);

            n_accepted++;
            if (pool->len < MAX_POOL)
              g_ptr_array_add (pool, copy);
            else
              {
                /* Keep the seeds, replace an earlier mutant. */
                gsize victim = seeds->len + rng_below (&rng, pool->len - seeds->len);
                g_bytes_unref (g_ptr_array_index (pool, victim));
                pool->pdata[victim] = copy;
              }
          }
      }
  }

  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  printf ("%s: %u seeds, %" G_GINT64_FORMAT " mutations (seed %" G_GUINT64_FORMAT
          "), %u mutants accepted, %.2f s, %.0f exec/s\n",
          name, seeds->len, runs, seed_value, n_accepted, seconds,
          seconds > 0 ? (double) (seeds->len + runs) / seconds : 0.0);

  return failures > 0 ? 1 : 0;
}
