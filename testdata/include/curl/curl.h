/* Declaration-only stand-in for the parts of libcurl's <curl/curl.h> that the
 * fixtures use (no libcurl headers on the test machines). Written for
 * leaklint; the option values are arbitrary. */
#ifndef LEAKLINT_TEST_CURL_H
#define LEAKLINT_TEST_CURL_H
typedef void CURLM;
typedef int CURLMcode;
typedef enum {
  CURLMOPT_SOCKETFUNCTION = 20001,
  CURLMOPT_TIMERFUNCTION = 20004
} CURLMoption;
CURLMcode curl_multi_setopt(CURLM *multi_handle, CURLMoption option, ...);
#endif
