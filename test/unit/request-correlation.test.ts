// The trace and execution id a request's log lines carry: exactly the documented header shapes, nothing a
// stranger could slip into a log line through them.
import test from 'ava';
import { correlationFields } from '../../shared/gcp/request-correlation.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const project = 'demo-proj';

test('traceparent: trace, span and sampling as Cloud Logging wants them', (t) => {
  t.deepEqual(correlationFields(project, { traceparent: `00-${TRACE}-${SPAN}-01`, executionId: 'abc123def456' }), {
    'logging.googleapis.com/trace': `projects/${project}/traces/${TRACE}`,
    'logging.googleapis.com/spanId': SPAN,
    'logging.googleapis.com/trace_sampled': true,
    'logging.googleapis.com/labels': { execution_id: 'abc123def456' },
  });
  t.like(correlationFields(project, { traceparent: `00-${TRACE}-${SPAN}-00` }), { 'logging.googleapis.com/trace_sampled': false });
  // A later version may carry more parts; the first four keep their meaning.
  t.like(correlationFields(project, { traceparent: `01-${TRACE}-${SPAN}-01-what-comes-next` }), { 'logging.googleapis.com/spanId': SPAN });
});

test('X-Cloud-Trace-Context: the decimal span id becomes 16 hex digits; traceparent wins when both are valid', (t) => {
  t.deepEqual(correlationFields(project, { cloudTraceContext: `${TRACE.toUpperCase()}/1;o=1` }), {
    'logging.googleapis.com/trace': `projects/${project}/traces/${TRACE}`,
    'logging.googleapis.com/spanId': '0000000000000001',
    'logging.googleapis.com/trace_sampled': true,
  });
  t.like(correlationFields(project, { cloudTraceContext: `${TRACE}/18446744073709551615` }), {
    'logging.googleapis.com/spanId': 'ffffffffffffffff',
    'logging.googleapis.com/trace_sampled': false,
  });
  const other = 'a'.repeat(32);
  t.like(correlationFields(project, { traceparent: `00-${TRACE}-${SPAN}-01`, cloudTraceContext: `${other}/5;o=1` }), {
    'logging.googleapis.com/trace': `projects/${project}/traces/${TRACE}`,
  });
  t.like(correlationFields(project, { traceparent: 'garbage', cloudTraceContext: `${other}/5;o=1` }), {
    'logging.googleapis.com/trace': `projects/${project}/traces/${other}`,
  });
});

test('anything not exactly a trace header or an execution id is left out', (t) => {
  const refused = [
    { traceparent: `ff-${TRACE}-${SPAN}-01` },
    { traceparent: `00-${'0'.repeat(32)}-${SPAN}-01` },
    { traceparent: `00-${TRACE}-${'0'.repeat(16)}-01` },
    { traceparent: `00-${TRACE}-${SPAN}-01-extra` },
    { traceparent: `00-${TRACE.toUpperCase()}-${SPAN}-01` },
    { traceparent: `00-${TRACE}-${SPAN}-01`.padEnd(300, '-') },
    { cloudTraceContext: `${TRACE}/0` },
    { cloudTraceContext: `${TRACE}/18446744073709551616` },
    { cloudTraceContext: `${'0'.repeat(32)}/5` },
    { cloudTraceContext: `${TRACE}/5;o=1 Bearer ya29.secret` },
    { executionId: 'id with spaces' },
    { executionId: 'x'.repeat(129) },
    { executionId: 'ya29.token\nsecond line' },
    { executionId: '' },
  ];
  for (const ids of refused) t.deepEqual(correlationFields(project, ids), {}, JSON.stringify(ids).slice(0, 80));
});
