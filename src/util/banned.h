/*
 * banned.h - functions that are too easy to misuse, made into compile errors.
 *
 * Included by every translation unit in src/ (through util/common.h).  String
 * building goes through buf_* (util/buf.h), which grows as needed, so nothing
 * here ever needs a fixed destination array.  Idea from git's banned.h.
 */
#ifndef SL_BANNED_H
#define SL_BANNED_H

#define SL_BANNED(func) sorry_##func##_is_banned_use_buf_h_instead

#undef strcpy
#define strcpy(x, y) SL_BANNED(strcpy)
#undef strcat
#define strcat(x, y) SL_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) SL_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) SL_BANNED(strncat)
#undef sprintf
#define sprintf(...) SL_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) SL_BANNED(vsprintf)
#undef gets
#define gets(x) SL_BANNED(gets)
#undef strtok
#define strtok(x, y) SL_BANNED(strtok)

#endif
