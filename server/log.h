/*
 * log: the server's stderr. Request lines are buffered and flushed every
 * LOG_FLUSH_MS by a background thread (and at stop), so logging costs a memcpy
 * per request instead of a write(2): at tens of thousands of requests a second
 * the syscall per line was a visible share of the GET path.
 */
#ifndef SR_LOG_H
#define SR_LOG_H

#define LOG_FLUSH_MS 200

void log_start(void); /* call once, before the HTTP threads start */
void log_stop(void);  /* flush and stop the flusher */

#endif
