/* ipspec.c - see ipspec.h. */
#include "early/ipspec.h"
#include "early/number.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

static const struct {
	const char *name;
	unsigned caps;
} protos[] = {
	{ "", IP_CAP_ANY }, { "on", IP_CAP_ANY }, { "any", IP_CAP_ANY },
	{ "dhcp", IP_CAP_BOOTP | IP_CAP_DHCP }, { "bootp", IP_CAP_BOOTP },
	{ "rarp", IP_CAP_RARP }, { "both", IP_CAP_BOOTP | IP_CAP_RARP },
	{ "off", 0 }, { "none", 0 }, { "static", 0 },
	{ "auto6", IP_CAP_AUTO6 }, { "dhcp6", IP_CAP_AUTO6 | IP_CAP_DHCP6 },
};

int
ip_proto_caps(const char *name)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcmp(name, protos[i].name) == 0)
			return (int)protos[i].caps;
	return -1;
}

static const char *const field_names[] = {
	"client address", "server address", "gateway", "netmask", "host name",
	"device", "autoconf", "DNS server 0", "DNS server 1", "NTP server",
};
#define NFIELDS (sizeof(field_names) / sizeof(field_names[0]))

static int
set_string(char *dst, size_t size, const char *v, size_t len, unsigned field,
	   struct es_error *err)
{
	if (len >= size)
		return es_fail(err, EINVAL, "%s: longer than %zu bytes", field_names[field],
			       size - 1);
	memcpy(dst, v, len);
	dst[len] = '\0';
	return 0;
}

/* One non-empty field of the long form. */
static int
set_field(struct ip_spec *s, unsigned field, const char *v, size_t len,
	  struct es_error *err)
{
	uint32_t *addrs[] = { &s->client, &s->server, &s->gateway, &s->netmask,
			      NULL, NULL, NULL, &s->dns[0], &s->dns[1], &s->ntp };
	char text[INET_ADDRSTRLEN + 1];
	int caps;

	if (field == 4)
		return set_string(s->hostname, sizeof(s->hostname), v, len, field, err);
	if (field == 5)
		return set_string(s->device, sizeof(s->device), v, len, field, err);
	if (len >= sizeof(text))
		len = sizeof(text) - 1;	/* too long for an address: fails below */
	memcpy(text, v, len);
	text[len] = '\0';
	if (field == 6) {
		if ((caps = ip_proto_caps(text)) < 0)
			return es_fail(err, EINVAL, "autoconf: no protocol '%s'", text);
		s->caps = (unsigned)caps;
		return 0;
	}
	if (!number_ipv4(text, addrs[field]))
		return es_fail(err, EINVAL, "%s: not an IPv4 address: '%s'",
			       field_names[field], text);
	if (field == 0)
		s->caps = 0;	/* a client address: static, unless autoconf says */
	return 0;
}

static int
parse_long_form(struct ip_spec *s, const char *p, struct es_error *err)
{
	for (unsigned field = 0; *p; field++) {
		size_t len = strcspn(p, ":");
		int rc;

		if (field >= NFIELDS)
			return es_fail(err, EINVAL, "more than %zu fields", NFIELDS);
		if (len && (rc = set_field(s, field, p, len, err)) < 0)
			return rc;
		p += len;
		p += *p == ':';
	}
	return 0;
}

int
ip_spec_parse(struct ip_spec *s, const char *text, unsigned default_caps,
	      struct es_error *err)
{
	const char *p = text;
	int caps, rc = 0;

	memset(s, 0, sizeof(*s));
	s->caps = default_caps;
	if (strncmp(p, "ip=", 3) == 0 || strncmp(p, "nfsaddrs=", 9) == 0) {
		p = strchr(p, '=') + 1;
		s->from_ip = true;
	}
	if (strchr(p, ':')) {
		rc = parse_long_form(s, p, err);
	} else if (!s->from_ip) {
		rc = set_string(s->device, sizeof(s->device), p, strlen(p), 5, err);
	} else if ((caps = ip_proto_caps(p)) < 0) {
		rc = es_fail(err, EINVAL, "no protocol '%s'", p);
	} else {
		s->caps = (unsigned)caps;
	}
	if (rc == 0 && strcmp(s->device, "all") == 0)
		s->device[0] = '\0';
	if (rc < 0)
		es_prefix(err, "%s", text);
	return rc;
}
