// Runs before the page is painted (a classic script in <head>): applies the theme the user chose
// last time, so a dark-theme user never sees a white flash. app.js owns the toggle.
(function () {
  try {
    var theme = localStorage.getItem('aswg.theme');
    if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  } catch (e) { /* storage disabled: follow the system setting */ }
})();
