/**
 * The Handlebars sources of one lifecycle email: its subject, its plain-text and HTML parts (each
 * wrapped in the layout with the greeting, the link into the web UI and the support footer), and
 * the one-line in-app notice that accompanies it. `text`, `subject` and `notice` are rendered
 * without HTML escaping; `html` escapes every {{value}}.
 */
export interface EmailTemplateSource {
  subject: string;
  text: string;
  html: string;
  notice: string;
}
