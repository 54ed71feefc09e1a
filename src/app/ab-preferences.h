/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AbPreferences: the preferences window (colour scheme, autosave,
 * progress), stored in GSettings. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AB_TYPE_PREFERENCES (ab_preferences_get_type ())
G_DECLARE_FINAL_TYPE (AbPreferences, ab_preferences, AB, PREFERENCES, AdwPreferencesWindow)

AbPreferences *ab_preferences_new (GtkWindow *parent,
                                   GSettings *settings);

G_END_DECLS
