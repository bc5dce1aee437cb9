/*
 * nhs.c - NHS number check digit and canonical form.  See nhs.h.
 */
#include "util/common.h"
#include "domain/nhs.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool nhs_number_valid(const char *s)
{
	int sum = 0, check;

	if (!s)
		return false;
	for (int i = 0; i < NHS_NUMBER_LEN; i++)
		if (!is_digit(s[i]))
			return false;
	if (s[NHS_NUMBER_LEN] != '\0')
		return false;
	for (int i = 0; i < 9; i++)
		sum += (s[i] - '0') * (10 - i);
	check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	/* 10: no number is issued with this prefix */
	return check != 10 && check == s[9] - '0';
}

int nhs_number_parse(const char *s, char out[NHS_NUMBER_LEN + 1], sl_err *err)
{
	static const char shape[] = "is not an NHS number: expected 10 digits, optionally grouped 3-3-4";
	size_t n = 0, i;
	char sep = 0;

	out[0] = '\0';
	if (!s || !*s)
		return sl_fail(err, SL_EINVAL, "no NHS number given");
	for (i = 0; s[i]; i++) {
		if (is_digit(s[i])) {
			if (n == NHS_NUMBER_LEN)
				goto bad_shape;
			out[n++] = s[i];
			continue;
		}
		/* a separator only after the 3rd and 6th digits, the same one
		 * both times, each followed by a digit */
		if ((s[i] != ' ' && s[i] != '-') || (n != 3 && n != 6) || (n == 3 && sep) || (n == 6 && sep != s[i]) ||
		    !is_digit(s[i + 1]))
			goto bad_shape;
		sep = s[i];
	}
	if (n != NHS_NUMBER_LEN || (sep && i != NHS_NUMBER_LEN + 2))
		goto bad_shape;
	out[n] = '\0';
	if (!nhs_number_valid(out)) {
		out[0] = '\0';
		return sl_fail(err, SL_EINVAL, "fails the NHS number check digit");
	}
	return 0;
bad_shape:
	out[0] = '\0';
	return sl_fail(err, SL_EINVAL, "%s", shape);
}
