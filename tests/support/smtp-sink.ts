// The tests' SMTP peer is the same local sink the scenario uses (src/dev/smtp-sink.ts).
export { startSmtpSink, type ReceivedMail } from '../../src/dev/smtp-sink.ts';
