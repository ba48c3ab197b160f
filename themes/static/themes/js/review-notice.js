// "This page is due for review": the server renders the notice shown or hidden as of the day
// it rendered the page; a cached copy may be served long after, so the reader's browser
// decides again from the due date in the markup (YYYY-MM-DD, compared in local time).
(function () {
  "use strict";
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  var notices = document.querySelectorAll(".review-notice[data-review-due]");
  for (var i = 0; i < notices.length; i++) {
    var due = notices[i].getAttribute("data-review-due");
    if (/^\d{4}-\d{2}-\d{2}$/.test(due)) {
      notices[i].hidden = !(today > due);
    }
  }
})();
