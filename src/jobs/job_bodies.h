/* What each job does. Each returns its outcome and writes the message kept in its history. */
#ifndef ASWG_JOBS_JOB_BODIES_H
#define ASWG_JOBS_JOB_BODIES_H

#include "jobs/scheduler.h"

job_outcome job_missions_scanner(char *message, size_t size);
job_outcome job_jwt_cleaner(char *message, size_t size);
job_outcome job_difficulty_scan(char *message, size_t size);
job_outcome job_mod_settings_scan(char *message, size_t size);
job_outcome job_install_delete_mods(char *message, size_t size);
job_outcome job_mod_update(char *message, size_t size);

#endif
