// A minimal stand-in for Salesforce's login + "Allow Access?" page of the web server flow.
const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

export function renderConsentPage(
  orgName: string,
  params: Record<string, string>,
  error: string | null,
): string {
  const hidden = ['client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scope']
    .filter((key) => params[key] !== undefined)
    .map((key) => `<input type="hidden" name="${key}" value="${escape(params[key] ?? '')}">`)
    .join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Allow Access? | ${escape(orgName)}</title>
<style>body{font:15px system-ui,sans-serif;max-width:26rem;margin:3rem auto;color:#181818}label{display:block;margin:.8rem 0 .2rem}
input[type=text],input[type=password]{width:100%;padding:.5rem;font:inherit}button{margin-top:1rem;padding:.5rem 1rem;font:inherit}
.error{color:#ba0517}</style></head><body>
<h1>Salesforce emulator</h1><p>Log in to <strong>${escape(orgName)}</strong> and allow the app to access your data.</p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/services/oauth2/authorize">${hidden}
<label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" name="decision" value="allow">Allow</button> <button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</form></body></html>`
}
