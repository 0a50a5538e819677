/**
 * The hosted pages' one stylesheet, sent in a nonce'd <style> (no inline
 * style attributes, so the CSP needs no 'unsafe-inline'). Colours come from
 * the tenant's branding as CSS custom properties set by the layout.
 */
export const LOGIN_STYLES = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--background);color:#1f2328}
main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #d0d7de;border-radius:8px}
header{text-align:center;margin-bottom:1rem}
header img{max-height:48px;max-width:100%}
header p{margin:.25rem 0 0;font-weight:600}
h1{font-size:1.5rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=email],input[type=password],input[type=text]{width:100%;padding:.6rem;font:inherit;border:1px solid #8c959f;border-radius:6px}
input[aria-invalid=true]{border-color:#cf222e}
.hint,.field-error{display:block;font-size:.875rem;margin-top:.25rem}
.field-error{color:#cf222e}
button,.button{display:inline-block;margin-top:1.25rem;padding:.6rem 1rem;font:inherit;font-weight:600;border-radius:6px;border:1px solid var(--primary);background:var(--primary);color:#fff;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:#1f2328;border-color:#8c959f}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;align-items:center}
a{color:var(--primary)}
:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.error-summary{border:2px solid #cf222e;border-radius:6px;padding:.75rem 1rem;margin-bottom:1rem}
.error-summary h2{font-size:1rem;margin:0 0 .5rem}
.error-summary ul{margin:0;padding-left:1.25rem}
.notice{border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem;background:#f6f8fa}
ul.scopes{padding-left:1.25rem}
nav ul{list-style:none;padding:0;margin:1.5rem 0 0;border-top:1px solid #d0d7de}
nav li{margin-top:.75rem}
.client-logo{max-height:40px;max-width:100%}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
