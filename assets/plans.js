/* 计划管理: the chosen file goes to its own route (POST /plans/upload, multipart),
   never through a server callback (which would carry it base64 inside JSON);
   the route answers with the page to open: the preview, or /plans with why the
   file was refused. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  plans: {
    upload: function (contents, filename) {
      if (!contents) {
        return window.dash_clientside.no_update;
      }
      var binary = atob(contents.slice(contents.indexOf(",") + 1));
      var bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) {
        bytes[i] = binary.charCodeAt(i);
      }
      var form = new FormData();
      form.append("file", new Blob([bytes]), filename);
      fetch("/plans/upload", {method: "POST", body: form, credentials: "same-origin"})
        .then(function (response) { window.location.assign(response.url); })
        .catch(function () { window.location.assign("/plans"); });
      return "正在上传并读取 " + filename + " ……";
    }
  }
});
