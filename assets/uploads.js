/* Files go to their own routes (multipart), never through a server callback
   (which would carry them base64 inside JSON); each route answers with the
   page to open next, which says what happened.
   - 计划管理: POST /plans/upload, then the preview (or /plans with why not);
   - 计划调整申请: POST /requests/file with the request's number, then /requests. */
function postFile(url, contents, filename, fields, fallback) {
  var binary = atob(contents.slice(contents.indexOf(",") + 1));
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  var form = new FormData();
  Object.keys(fields).forEach(function (name) { form.append(name, fields[name]); });
  form.append("file", new Blob([bytes]), filename);
  fetch(url, {method: "POST", body: form, credentials: "same-origin"})
    .then(function (response) { window.location.assign(response.url); })
    .catch(function () { window.location.assign(fallback); });
}

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  plans: {
    upload: function (contents, filename) {
      if (!contents) {
        return window.dash_clientside.no_update;
      }
      postFile("/plans/upload", contents, filename, {}, "/plans");
      return "正在上传并读取 " + filename + " ……";
    }
  },
  requests: {
    upload: function (contents, filename, requestId) {
      if (!contents) {
        return window.dash_clientside.no_update;
      }
      if (!requestId) {
        return "请先选择要附文件的申请。";
      }
      postFile("/requests/file", contents, filename, {request_id: requestId}, "/requests");
      return "正在上传 " + filename + " ……";
    }
  }
});
