/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A Wi-Fi scan over nl80211 (include/uapi/linux/nl80211.h), through libnl's
 * generic netlink, as iw and wpa_supplicant do it:
 *
 *   1. the interface must be up to scan; when it is down (the repair image
 *      starts with every link down) it is brought up for the scan and taken
 *      down again afterwards — nothing else about it is changed;
 *   2. NL80211_CMD_TRIGGER_SCAN on it, having joined nl80211's "scan"
 *      multicast group first, then wait for NEW_SCAN_RESULTS (or
 *      SCAN_ABORTED) for this interface, up to the deadline. A scan someone
 *      else started (ChromeOS's shill: -EBUSY) is waited for the same way;
 *   3. NL80211_CMD_GET_SCAN (a dump): the BSSes the kernel now holds.
 *
 * Only counts and signal levels leave this file: no network name, no
 * address (the report describes the hardware, not where it was).
 */
#include "hw.h"

#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/nl80211.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

static int
if_flags(int fd, const char *ifname, short *flags, bool set)
{
	struct ifreq ifr = {0};

	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return -ENAMETOOLONG;
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	if (set)
		ifr.ifr_flags = *flags;
	if (ioctl(fd, set ? SIOCSIFFLAGS : SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	*flags = ifr.ifr_flags;
	return 0;
}

/* Bring @ifname up when it is down; *@was_down says whether it was. */
static int
link_up(const char *ifname, bool *was_down)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	short flags;
	int r;

	*was_down = false;
	if (fd < 0)
		return -errno;
	r = if_flags(fd, ifname, &flags, false);
	if (r == 0 && !(flags & IFF_UP)) {
		flags |= IFF_UP;
		r = if_flags(fd, ifname, &flags, true);
		*was_down = r == 0;
	}
	close(fd);
	return r;
}

static void
link_down(const char *ifname)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	short flags;

	if (fd < 0)
		return;
	if (if_flags(fd, ifname, &flags, false) == 0 && (flags & IFF_UP)) {
		flags &= ~IFF_UP;
		(void)if_flags(fd, ifname, &flags, true);
	}
	close(fd);
}

struct wait_state {
	uint32_t ifindex;
	int done; /* 0 waiting, 1 results, -ECANCELED aborted */
};

/* The scan group's events: the one that ends this interface's scan. */
static int
on_event(struct nl_msg *msg, void *arg)
{
	struct wait_state *w = arg;
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[NL80211_ATTR_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NL80211_ATTR_MAX, NULL) < 0 ||
	    !tb[NL80211_ATTR_IFINDEX] || nla_get_u32(tb[NL80211_ATTR_IFINDEX]) != w->ifindex)
		return NL_SKIP;
	if (gh->cmd == NL80211_CMD_NEW_SCAN_RESULTS)
		w->done = 1;
	else if (gh->cmd == NL80211_CMD_SCAN_ABORTED)
		w->done = -ECANCELED;
	return NL_SKIP;
}

static int
on_bss(struct nl_msg *msg, void *arg)
{
	struct cbd_hw_wifi_scan *s = arg;
	struct nlattr *tb[NL80211_ATTR_MAX + 1];
	struct nlattr *bss[NL80211_BSS_MAX + 1];
	static struct nla_policy policy[NL80211_BSS_MAX + 1] = {
	    [NL80211_BSS_FREQUENCY] = {.type = NLA_U32},
	    [NL80211_BSS_SIGNAL_MBM] = {.type = NLA_U32},
	};

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NL80211_ATTR_MAX, NULL) < 0 ||
	    !tb[NL80211_ATTR_BSS] ||
	    nla_parse_nested(bss, NL80211_BSS_MAX, tb[NL80211_ATTR_BSS], policy) < 0)
		return NL_SKIP;
	s->networks++;
	if (bss[NL80211_BSS_FREQUENCY]) {
		uint32_t mhz = nla_get_u32(bss[NL80211_BSS_FREQUENCY]);

		if (mhz < 3000)
			s->networks_2ghz++;
		else if (mhz < 5950)
			s->networks_5ghz++;
		else
			s->networks_6ghz++;
	}
	if (bss[NL80211_BSS_SIGNAL_MBM]) {
		/* mBm: hundredths of a dBm, signed, carried in a u32 */
		int dbm = (int32_t)nla_get_u32(bss[NL80211_BSS_SIGNAL_MBM]) / 100;

		if (!s->have_signal || dbm > s->strongest_dbm)
			s->strongest_dbm = dbm;
		s->have_signal = true;
	}
	return NL_SKIP;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Trigger a scan on @ifindex and wait for its end, up to @deadline. */
static int
trigger_and_wait(struct nl_sock *cmd, struct nl_sock *ev, int family, uint32_t ifindex,
		 long long deadline)
{
	struct wait_state w = {.ifindex = ifindex};
	struct nl_msg *msg = nlmsg_alloc();
	int r;

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, NL80211_CMD_TRIGGER_SCAN,
			 0) ||
	    nla_put_u32(msg, NL80211_ATTR_IFINDEX, ifindex) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	r = nl_send_sync(cmd, msg); /* frees msg */
	if (r < 0 && r != -NLE_BUSY)
		return r == -NLE_PERM ? -EPERM : r == -NLE_NODEV ? -ENODEV : -EIO;
	nl_socket_modify_cb(ev, NL_CB_VALID, NL_CB_CUSTOM, on_event, &w);
	while (w.done == 0) {
		struct pollfd p = {.fd = nl_socket_get_fd(ev), .events = POLLIN};
		long long left = deadline - now_ms();

		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0 && nl_recvmsgs_default(ev) < 0)
			return -EIO;
	}
	return w.done < 0 ? w.done : 0;
}

static int
dump_results(struct nl_sock *cmd, int family, uint32_t ifindex, struct cbd_hw_wifi_scan *out)
{
	struct nl_msg *msg = nlmsg_alloc();
	int r;

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
			 NL80211_CMD_GET_SCAN, 0) ||
	    nla_put_u32(msg, NL80211_ATTR_IFINDEX, ifindex) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_socket_modify_cb(cmd, NL_CB_VALID, NL_CB_CUSTOM, on_bss, out);
	r = nl_send_auto(cmd, msg);
	nlmsg_free(msg);
	if (r >= 0)
		r = nl_recvmsgs_default(cmd);
	return r < 0 ? -EIO : 0;
}

int
cbd_hw_wifi_scan(const char *ifname, unsigned timeout_ms, struct cbd_hw_wifi_scan *out)
{
	long long deadline = now_ms() + timeout_ms;
	uint32_t ifindex = if_nametoindex(ifname);
	struct nl_sock *cmd = NULL, *ev = NULL;
	bool was_down = false;
	int family, group, r;

	memset(out, 0, sizeof(*out));
	if (ifindex == 0)
		return -ENODEV;
	cmd = nl_socket_alloc();
	ev = nl_socket_alloc();
	if (!cmd || !ev) {
		r = -ENOMEM;
		goto out;
	}
	if (genl_connect(cmd) < 0 || genl_connect(ev) < 0) {
		r = -EIO;
		goto out;
	}
	family = genl_ctrl_resolve(cmd, "nl80211");
	group = genl_ctrl_resolve_grp(cmd, "nl80211", "scan");
	if (family < 0 || group < 0) {
		r = -EPROTONOSUPPORT; /* no cfg80211 in this kernel */
		goto out;
	}
	nl_socket_disable_seq_check(ev);
	if (nl_socket_add_membership(ev, group) < 0) {
		r = -EIO;
		goto out;
	}
	r = link_up(ifname, &was_down);
	if (r < 0)
		goto out; /* -ERFKILL when a switch blocks the radio */
	out->brought_up = was_down;
	r = trigger_and_wait(cmd, ev, family, ifindex, deadline);
	if (r == 0 || r == -ECANCELED || r == -ETIMEDOUT) {
		/* what the kernel holds is worth reading even after an abort */
		int d = dump_results(cmd, family, ifindex, out);

		if (r == 0)
			r = d;
		out->done = r == 0;
	}
out:
	if (was_down)
		link_down(ifname);
	nl_socket_free(ev);
	nl_socket_free(cmd);
	return r;
}
