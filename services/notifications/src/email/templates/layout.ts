/**
 * What wraps every email: the greeting, the event's own part ({{{body}}}, already rendered), the
 * link into the web UI, and the support contact footer of the guides.
 */
export const layout = {
  text: `Hello {{recipientName}},

{{{body}}}

{{linkLabel}}: {{link}}

--
Have questions? Contact the Quality Payment Program
By Phone: {{support.phone}} or By Email: {{support.email}}
{{support.hours}}
`,
  html: `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #212121; line-height: 1.5;">
<p>Hello {{recipientName}},</p>
{{{body}}}
<p><a href="{{link}}" style="color: #0071bc;">{{linkLabel}}</a></p>
<hr>
<p style="color: #444; font-size: 0.9em;">Have questions? Contact the Quality Payment Program<br>
By Phone: {{support.phone}} or By Email: <a href="mailto:{{support.email}}">{{support.email}}</a><br>
{{support.hours}}</p>
</body>
</html>
`,
};
