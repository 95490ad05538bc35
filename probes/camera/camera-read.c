/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Gathering half of the camera probe: reads through probes/hw only. */
#include "camera.h"

#include <errno.h>
#include <stdlib.h>

void
cbd_camera_read(struct cbd_camera_raw *raw, unsigned frames, unsigned timeout_ms)
{
	struct cbd_hw_camera_node *v = NULL;
	size_t n = 0;

	*raw = (struct cbd_camera_raw){0};
	raw->list_err = cbd_hw_camera_list(&v, &n);
	for (size_t i = 0; i < n && raw->n_nodes < CBD_CAM_MAX; i++) {
		size_t k = raw->n_nodes++;

		raw->nodes[k] = v[i];
		raw->grab_err[k] = -ENOSYS;
		if (v[i].open_err == 0 && v[i].capture && v[i].streaming &&
		    !cbd_camera_is_mipi_pipeline(v[i].driver))
			raw->grab_err[k] =
			    cbd_hw_camera_grab(v[i].node, frames, timeout_ms, &raw->grab[k]);
	}
	free(v);
}
