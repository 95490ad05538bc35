// The fleet aggregation of `cbdiag summary` in DuckDB, for the side-by-side
// benchmark (tests/perf/bench-summary.sh): the same figures as
// tests/perf/fleet-summary.jq, DuckDB at its best configuration for this job
// (read_json with typed columns for just the members the summary reads, so
// nothing else is materialised; one connection, every core).
//   DUCKDB_MODULES=DIR/node_modules node fleet-summary-duckdb.js REPORTS_DIR
// DIR is where `npm install @duckdb/node-api` was run (DuckDB is not packaged
// in Debian 12). Prints one JSON line with the headline figures and the
// per-model table, like the jq script's output.
'use strict';
const path = require('path');
const { createRequire } = require('module');
const modules = process.env.DUCKDB_MODULES;
if (!modules) {
	console.error('DUCKDB_MODULES is not set (the node_modules folder of @duckdb/node-api)');
	process.exit(77);
}
const req = createRequire(path.join(path.resolve(modules), 'x.js'));
const { DuckDBInstance } = req('@duckdb/node-api');

const dir = process.argv[2];
if (!dir) {
	console.error('usage: fleet-summary-duckdb.js REPORTS_DIR');
	process.exit(2);
}
const glob = path.join(path.resolve(dir), '**', '*.json').replace(/'/g, "''");

const columns = `{
  schema_version: 'INTEGER',
  tool: 'STRUCT(name VARCHAR)',
  device: 'STRUCT(serial VARCHAR, asset_tag VARCHAR, model VARCHAR)',
  started_at: 'VARCHAR',
  overall: 'VARCHAR',
  probes: 'MAP(VARCHAR, STRUCT(status VARCHAR, findings STRUCT(code VARCHAR, severity VARCHAR)[], data STRUCT(batteries STRUCT(health_percent DOUBLE)[])))'
}`;

// One statement: the reports are read once into a materialised CTE (a temporary
// table of the nested columns took four times as long and 3.7 GB).
const sql = `WITH r AS MATERIALIZED (
	 SELECT row_number() OVER () AS id,
	        coalesce(device.serial, CASE WHEN device.asset_tag IS NOT NULL THEN 'asset:' || device.asset_tag END) AS key,
	        coalesce(device.model, 'unknown') AS model, started_at, overall,
	        map_entries(probes) AS st,
	        probes['battery'].data.batteries[1].health_percent AS health
	 FROM read_json('${glob}', format = 'auto', columns = ${columns}, maximum_object_size = 16777216)
	 WHERE schema_version = 1 AND tool.name = 'cbdiag'),
	latest AS MATERIALIZED (
	 SELECT key, arg_max(model, started_at) AS model, arg_max(overall, started_at) AS overall,
	        arg_max(health, started_at) AS health
	 FROM r WHERE key IS NOT NULL GROUP BY key)
	SELECT json_object(
	   'reports', (SELECT count(*) FROM r),
	   'devices', (SELECT count(*) FROM latest),
	   'still_failing', (SELECT count(*) FROM latest WHERE overall = 'fail'),
	   'repeat_visitors', (SELECT count(*) FROM (
	        SELECT key, e.key AS probe FROM r, unnest(st) AS u(e)
	        WHERE r.key IS NOT NULL AND e.value.status = 'fail'
	        GROUP BY r.key, e.key HAVING count(*) >= 2)),
	   'probes', (SELECT list(json_object('name', name, 'reports', n,
	                  'fail_percent', round(1000 * f / n) / 10, 'warn_percent', round(1000 * w / n) / 10) ORDER BY name)
	              FROM (SELECT e.key AS name, count(*) AS n,
	                           count(*) FILTER (WHERE e.value.status = 'fail') AS f,
	                           count(*) FILTER (WHERE e.value.status = 'warn') AS w
	                    FROM r, unnest(st) AS u(e) GROUP BY e.key)),
	   'top_findings', (SELECT list(json_object('code', code, 'reports', n, 'fail', f) ORDER BY n DESC, code)
	              FROM (SELECT code, count(*) AS n, count(*) FILTER (WHERE sev = 'fail') AS f
	                    FROM (SELECT id, x.code AS code,
	                                 CASE WHEN bool_or(x.severity = 'fail') THEN 'fail'
	                                      WHEN bool_or(x.severity = 'warn') THEN 'warn' ELSE 'info' END AS sev
	                          FROM (SELECT id, unnest(e.value.findings) AS x FROM r, unnest(st) AS u(e))
	                          GROUP BY id, x.code)
	                    GROUP BY code ORDER BY n DESC, code LIMIT 20)),
	   'models', (SELECT list(json_object('model', model, 'devices', d, 'still_failing', sf,
	                  'median', round(med * 10) / 10, 'p10', round(p10 * 10) / 10,
	                  'below_warn_percent', CASE WHEN hn = 0 THEN 0 ELSE round(1000 * bw / hn) / 10 END,
	                  'below_fail_percent', CASE WHEN hn = 0 THEN 0 ELSE round(1000 * bf / hn) / 10 END)
	                  ORDER BY d DESC, model)
	              FROM (SELECT model, count(*) AS d, count(*) FILTER (WHERE overall = 'fail') AS sf,
	                           median(health) AS med, quantile_disc(health, 0.1) AS p10,
	                           count(health) AS hn,
	                           count(*) FILTER (WHERE health < 80) AS bw,
	                           count(*) FILTER (WHERE health < 60) AS bf
	                    FROM latest GROUP BY model))
	 ) AS out`;

(async () => {
	const inst = await DuckDBInstance.create(':memory:');
	const con = await inst.connect();
	const reader = await con.runAndReadAll(sql);
	const rows = reader.getRows();
	process.stdout.write(String(rows[0][0]) + '\n');
})().catch((e) => {
	console.error(String(e && e.message ? e.message : e));
	process.exit(1);
});
