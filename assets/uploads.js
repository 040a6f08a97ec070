/* Files go to their own routes (multipart), never through a server callback
   (which would carry them base64 inside JSON); each route answers with the
   page to open next, which says what happened.
   - 计划管理: POST /plans/upload, then the preview (or /plans with why not);
   - 计划调整申请: POST /requests/file with the request's number, then /requests;
   - 佐证材料: POST /evidence with the milestone and the files, then the page it came from. */
function asBlob(contents) {
  var binary = atob(contents.slice(contents.indexOf(",") + 1));
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return new Blob([bytes]);
}

function postFile(url, contents, filename, fields, fallback) {
  postFiles(url, [contents], [filename], fields, fallback);
}

function postFiles(url, contents, filenames, fields, fallback) {
  var form = new FormData();
  Object.keys(fields).forEach(function (name) { form.append(name, fields[name]); });
  contents.forEach(function (c, i) { form.append("file", asBlob(c), filenames[i]); });
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
  evidence: {
    upload: function (contents, filenames, milestoneId, next) {
      if (!contents || !contents.length) {
        return window.dash_clientside.no_update;
      }
      if (!milestoneId) {
        return "请先选择工作节点，再选择文件。";
      }
      postFiles("/evidence", contents, filenames, {milestone_id: milestoneId, next: next}, next);
      return "正在上传 " + filenames.join("、") + " ……";
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
