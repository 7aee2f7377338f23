// Marks the page as run with JavaScript before it is drawn, as GOV.UK Frontend
// expects, so that its components show their enhanced form.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
