// The citizen portal: plain pages over the public API (no build step).
const portal = (() => {
  const api = "/api/v1";
  const $ = (id) => document.getElementById(id);
  const text = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const money = (v) => (v == null ? "Không thu phí" : new Intl.NumberFormat("vi-VN").format(v) + " đồng");
  const when = (t) => (t ? new Date(t).toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" }) : "");
  const statusWords = {
    submitted: "Đã nộp, chờ tiếp nhận", received: "Đã tiếp nhận", in_review: "Đang thẩm định", co_review: "Đang lấy ý kiến cơ quan phối hợp",
    awaiting_supplement: "Chờ bổ sung hồ sơ", awaiting_approval: "Chờ phê duyệt", awaiting_payment: "Chờ nộp phí, lệ phí",
    awaiting_issue: "Chờ ban hành kết quả", result_ready: "Đã có kết quả", completed: "Đã trả kết quả", rejected: "Từ chối giải quyết",
    withdrawn: "Đã rút hồ sơ", cancelled: "Đã hủy", awaiting_assignment: "Chờ phân công xác minh", investigating: "Đang xác minh",
    awaiting_conclusion: "Chờ kết luận",
  };

  async function call(path, headers) {
    const res = await fetch(api + path, { headers });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error?.message || "Không kết nối được, vui lòng thử lại.");
    return body;
  }

  function say(msg, error) {
    $("status").textContent = msg;
    $("status").className = error ? "error" : "";
  }

  function catalogue() {
    const params = new URLSearchParams(location.search);
    if (params.get("q")) $("q").value = params.get("q");
    const search = async (ev) => {
      ev?.preventDefault();
      const q = new URLSearchParams({ q: $("q").value, limit: "50" });
      if ($("level").value) q.set("level", $("level").value);
      say("Đang tìm…");
      try {
        const { procedures } = await call("/procedures?" + q);
        say(procedures.length ? `${procedures.length} thủ tục` : "Không tìm thấy thủ tục phù hợp.");
        $("results").innerHTML = procedures.map((p) =>
          `<li data-code="${text(p.code)}"><strong>${text(p.name)}</strong><br>` +
          `<small>${text(p.agency)} · <span class="badge">Mức độ ${p.level}</span> · ${p.processing_days} ngày làm việc · ${money(p.fee)}</small></li>`).join("");
      } catch (e) { say(e.message, true); }
    };
    $("search").addEventListener("submit", search);
    $("results").addEventListener("click", async (ev) => {
      const li = ev.target.closest("li");
      if (!li) return;
      try {
        const p = await call("/procedures/" + encodeURIComponent(li.dataset.code));
        const d = $("detail");
        d.hidden = false;
        d.innerHTML = `<h2>${text(p.name.vi)}</h2><p>${text(p.info.summary)}</p>` +
          `<p><strong>Đối tượng:</strong> ${text(p.info.applicants)}</p>` +
          `<p><strong>Thời hạn giải quyết:</strong> ${p.processing_days} ngày làm việc · <strong>Phí, lệ phí:</strong> ${money(p.fee?.amount)}</p>` +
          `<h3>Thành phần hồ sơ</h3><ul>${p.documents.map((x) => `<li>${text(x.name)}${x.copies ? " — " + text(x.copies) : ""}${x.required ? "" : " (nếu có)"}</li>`).join("")}</ul>` +
          `<h3>Căn cứ pháp lý</h3><ul>${p.info.legal_basis.map((x) => `<li>${text(x)}</li>`).join("")}</ul>` +
          `<p><a href="${text(p.form_file)}">Tải mẫu đơn (PDF)</a>${p.level >= 3 ? " · Nộp trực tuyến sau khi đăng nhập." : " · Nộp tại bộ phận một cửa hoặc qua bưu điện."}</p>`;
        d.scrollIntoView({ behavior: "smooth" });
      } catch (e) { say(e.message, true); }
    });
    search();
  }

  function lookup() {
    const params = new URLSearchParams(location.search);
    if (params.get("ma")) $("code").value = params.get("ma");
    $("lookup").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      say("Đang tra cứu…");
      try {
        const c = await call("/cases/" + encodeURIComponent($("code").value.trim()), { "X-Case-Secret": $("secret").value.trim() });
        say("");
        const s = $("case");
        s.hidden = false;
        s.className = c.overdue ? "overdue" : "";
        s.innerHTML = `<h2>${text(c.code)}</h2><p>${text(c.procedure.name)}</p>` +
          `<p><span class="badge">${text(statusWords[c.status] || c.status)}</span>${c.overdue ? " · Quá hạn" : ""}${c.paused ? " · Tạm dừng tính thời hạn, chờ bổ sung" : ""}</p>` +
          (c.due_at ? `<p><strong>Hẹn trả kết quả:</strong> ${when(c.rescheduled_to || c.due_at)}</p>` : "") +
          `<h3>Quá trình xử lý</h3><ol class="timeline">${c.timeline.map((e) =>
            `<li><span class="muted">${when(e.at)}</span> — ${text(statusWords[e.status] || e.status)}${e.note ? ": " + text(e.note) : ""}${e.reason ? " — " + text(e.reason) : ""}</li>`).join("")}</ol>`;
      } catch (e) { $("case").hidden = true; say(e.message, true); }
    });
  }

  return { catalogue, lookup };
})();
