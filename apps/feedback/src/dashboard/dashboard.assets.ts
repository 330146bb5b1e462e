/* The dashboard page (数据看板), its style and its script, compiled into the service so the page ships with it. */

export const DASHBOARD_HTML = String.raw`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>联合奖惩数据看板</title>
<link rel="stylesheet" href="/dashboard/dashboard.css">
<script src="/dashboard/echarts.min.js" defer></script>
<script src="/dashboard/dashboard.js" defer></script>
</head>
<body data-state="signed-out">
<header>
  <h1>联合奖惩数据看板</h1>
  <form id="period">
    <label>起 <input type="date" id="from"></label>
    <label>止 <input type="date" id="to"></label>
    <button type="submit">刷新</button>
    <button type="button" id="sign-out">退出</button>
  </form>
</header>
<section id="sign-in">
  <form id="sign-in-form">
    <h2>信用办登录</h2>
    <label for="token">访问令牌</label>
    <input id="token" type="password" autocomplete="off" placeholder="请输入信用办令牌">
    <button type="submit">登录</button>
    <p id="sign-in-error" role="alert"></p>
  </form>
</section>
<main id="board">
  <p id="scope"></p>
  <div class="grid">
    <figure><figcaption>各实施部门任务完成情况 <button type="button" data-export="completion?groupBy=organization">导出Excel</button></figcaption><div class="chart" id="chart-organizations"></div></figure>
    <figure><figcaption>每周下发与反馈任务数</figcaption><div class="chart" id="chart-weekly"></div></figure>
    <figure class="wide"><figcaption>各地考核指标与目标 <button type="button" data-export="assessment">导出Excel</button></figcaption><div class="chart" id="chart-assessment"></div></figure>
    <figure class="wide"><figcaption>逾期未反馈任务督办 <button type="button" data-export="overdue">导出Excel</button></figcaption>
      <table id="overdue"><thead><tr><th>实施部门</th><th>任务编号</th><th>名单类型</th><th>地区</th><th>下发日期</th><th>反馈期限</th><th>逾期天数</th><th>是否签收</th></tr></thead><tbody></tbody></table>
    </figure>
  </div>
</main>
</body>
</html>
`;

export const DASHBOARD_CSS = String.raw`
body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif; margin: 0; background: #f4f6f9; color: #1f2d3d; }
header { display: flex; align-items: center; justify-content: space-between; background: #b71c1c; color: #fff; padding: 8px 20px; }
header h1 { font-size: 20px; margin: 0; }
header form { display: flex; gap: 8px; align-items: center; }
body[data-state="signed-out"] header form, body[data-state="signed-out"] #board { display: none; }
body:not([data-state="signed-out"]) #sign-in { display: none; }
#sign-in form { max-width: 360px; margin: 80px auto; background: #fff; padding: 24px; border-radius: 6px; display: flex; flex-direction: column; gap: 10px; }
#sign-in-error { color: #b71c1c; min-height: 1em; }
#scope { margin: 12px 20px 0; color: #555; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; padding: 16px 20px; }
figure { background: #fff; margin: 0; padding: 12px; border-radius: 6px; }
figure.wide { grid-column: span 2; }
figcaption { font-weight: bold; margin-bottom: 8px; display: flex; justify-content: space-between; }
.chart { height: 360px; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { border-bottom: 1px solid #e5e8ec; padding: 4px 6px; text-align: left; }
td.empty { color: #888; text-align: center; }
`;

export const DASHBOARD_JS = String.raw`(function () {
  'use strict';
  var KEY = 'jrp.officeToken';
  var XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  var charts = {};
  window.jrpDashboard = { charts: charts };

  function $(id) { return document.getElementById(id); }
  function token() { return sessionStorage.getItem(KEY); }
  function pct(v) { return v === null || v === undefined ? null : Math.round(v * 10000) / 100; }

  function query(extra) {
    var params = [];
    if ($('from').value) params.push('from=' + $('from').value);
    if ($('to').value) params.push('to=' + $('to').value);
    if (extra) params.push(extra);
    return params.length ? '?' + params.join('&') : '';
  }

  function get(path, accept) {
    return fetch('/api/v1/reports/' + path, { headers: { Authorization: 'Bearer ' + token(), Accept: accept || 'application/json' } }).then(function (res) {
      if (res.status === 401 || res.status === 403) { signOut('令牌无效或不是信用办令牌'); throw new Error('unauthorised'); }
      if (!res.ok) throw new Error(path + ': ' + res.status);
      return accept === XLSX ? res.blob() : res.json();
    });
  }

  function chart(id) {
    if (!charts[id]) charts[id] = echarts.init($(id));
    return charts[id];
  }

  function organizations(report) {
    var rows = report.items;
    chart('chart-organizations').setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['应反馈', '已反馈', '逾期未反馈'] },
      grid: { left: 48, right: 16, top: 48, bottom: 120 },
      xAxis: { type: 'category', data: rows.map(function (r) { return r.name; }), axisLabel: { rotate: 40, interval: 0 } },
      yAxis: { type: 'value', name: '任务数', minInterval: 1 },
      series: [
        { name: '应反馈', type: 'bar', data: rows.map(function (r) { return r.due; }) },
        { name: '已反馈', type: 'bar', data: rows.map(function (r) { return r.fedBack; }) },
        { name: '逾期未反馈', type: 'bar', data: rows.map(function (r) { return r.overdue; }) }
      ]
    }, true);
  }

  function weekly(report) {
    var rows = report.items;
    chart('chart-weekly').setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['下发', '已反馈'] },
      grid: { left: 48, right: 16 },
      xAxis: { type: 'category', data: rows.map(function (r) { return r.week; }), name: '周' },
      yAxis: { type: 'value', name: '任务数', minInterval: 1 },
      series: [
        { name: '下发', type: 'line', data: rows.map(function (r) { return r.dispatched; }) },
        { name: '已反馈', type: 'line', data: rows.map(function (r) { return r.fedBack; }) }
      ]
    }, true);
  }

  function assessment(report) {
    var rows = report.items;
    var t = report.targets;
    function series(name, key, target) {
      return {
        name: name, type: 'bar', data: rows.map(function (r) { return pct(r[key]); }),
        markLine: { symbol: 'none', label: { formatter: name + '目标 ' + pct(target) + '%' }, data: [{ yAxis: pct(target) }] }
      };
    }
    chart('chart-assessment').setOption({
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return v === null || v === undefined ? '—' : v + '%'; } },
      legend: { top: 0, data: ['案例占比', '信用承诺率', '修复培训覆盖率', '反馈率'] },
      grid: { left: 48, right: 140, top: 48 },
      xAxis: { type: 'category', data: rows.map(function (r) { return r.regionName; }), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', name: '%', min: 0, max: 100 },
      series: [
        series('案例占比', 'caseRatio', t.caseRatio),
        series('信用承诺率', 'commitmentRate', t.commitmentRate),
        series('修复培训覆盖率', 'trainingCoverage', t.trainingCoverage),
        series('反馈率', 'feedbackRate', t.feedbackRate)
      ]
    }, true);
  }

  function cell(text) { var td = document.createElement('td'); td.textContent = text; return td; }

  function overdue(report) {
    var body = $('overdue').querySelector('tbody');
    body.textContent = '';
    report.items.forEach(function (r) {
      var tr = document.createElement('tr');
      [r.organizationName, r.taskId, r.listTypeName, r.regionName, r.dispatchedOn, new Date(r.dueAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }),
        String(r.overdueDays), r.acknowledgedLabel].forEach(function (v) { tr.appendChild(cell(v)); });
      body.appendChild(tr);
    });
    if (report.items.length === 0) { var tr = document.createElement('tr'); var td = cell('暂无逾期任务'); td.colSpan = 8; td.className = 'empty'; tr.appendChild(td); body.appendChild(tr); }
  }

  function load() {
    document.body.dataset.state = 'loading';
    return Promise.all([
      get('completion' + query('groupBy=organization')).then(organizations),
      get('completion' + query('groupBy=week')).then(weekly),
      get('assessment' + query()).then(function (r) { $('scope').textContent = r.title + '（' + (r.period.from || '不限') + ' 至 ' + (r.period.to || '不限') + '）'; assessment(r); }),
      get('overdue' + query('limit=200')).then(overdue)
    ]).then(function () { document.body.dataset.state = 'ready'; }, function (e) {
      if (token()) { document.body.dataset.state = 'error'; $('scope').textContent = '加载失败：' + e.message; }
    });
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY);
    document.body.dataset.state = 'signed-out';
    $('sign-in-error').textContent = message || '';
  }

  function download(path) {
    get(path + (path.indexOf('?') < 0 ? query() : '&' + query().slice(1)), XLSX).then(function (blob) {
      var a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = path.split('?')[0] + '.xlsx';
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('sign-in-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var value = $('token').value.trim();
      if (!value) { $('sign-in-error').textContent = '请输入令牌'; return; }
      sessionStorage.setItem(KEY, value);
      $('token').value = '';
      $('sign-in-error').textContent = '';
      load();
    });
    $('period').addEventListener('submit', function (e) { e.preventDefault(); load(); });
    $('sign-out').addEventListener('click', function () { signOut(); });
    Array.prototype.forEach.call(document.querySelectorAll('[data-export]'), function (b) {
      b.addEventListener('click', function () { download(b.getAttribute('data-export')); });
    });
    window.addEventListener('resize', function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
    if (token()) load();
  });
})();
`;
