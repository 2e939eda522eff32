// The baseline for cold-start benchmarks: a function that does nothing but answer.
const { http } = require('@google-cloud/functions-framework');
http('trivial', (req, res) => res.status(200).send('ok'));
