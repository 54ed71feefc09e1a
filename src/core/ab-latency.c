/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "ab-latency.h"

void
ab_lag_slowest_end (const double *num,
                    const double *den,
                    guint         n_stations,
                    double       *lag_ms,
                    int          *station)
{
  double total = 0.0;

  *lag_ms = 0.0;
  *station = -1;
  for (guint s = 0; s < n_stations; s++)
    total += den[s];
  if (!(total > 0.0))
    return;
  for (guint s = 0; s < n_stations; s++)
    {
      double mean;

      if (!(den[s] > 0.0) || den[s] < AB_LAG_MIN_END_SHARE * total)
        continue;
      mean = num[s] / den[s];
      if (*station < 0 || mean > *lag_ms)
        {
          *lag_ms = mean;
          *station = (int) s;
        }
    }
}
