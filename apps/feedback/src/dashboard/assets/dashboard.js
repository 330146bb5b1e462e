/* The dashboard's script: plain browser JavaScript, served as it is (no bundler); ECharts is the global `echarts`. */
(function () {
  'use strict';
  var KEY = 'jrp.officeToken';
  var XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  var charts = {};
  window.jrpDashboard = { charts: charts };

  function $(id) {
    return document.getElementById(id);
  }
  function token() {
    return sessionStorage.getItem(KEY);
  }
  function pct(v) {
    return v === null || v === undefined ? null : Math.round(v * 10000) / 100;
  }

  function query(extra) {
    var params = [];
    if ($('from').value) params.push('from=' + $('from').value);
    if ($('to').value) params.push('to=' + $('to').value);
    if (extra) params.push(extra);
    return params.length ? '?' + params.join('&') : '';
  }

  function get(path, accept) {
    return fetch('/api/v1/reports/' + path, {
      headers: { Authorization: 'Bearer ' + token(), Accept: accept || 'application/json' },
    }).then(function (res) {
      if (res.status === 401 || res.status === 403) {
        signOut('令牌无效或不是信用办令牌');
        throw new Error('unauthorised');
      }
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
    chart('chart-organizations').setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { top: 0, data: ['应反馈', '已反馈', '逾期未反馈'] },
        grid: { left: 48, right: 16, top: 48, bottom: 120 },
        xAxis: {
          type: 'category',
          data: rows.map(function (r) {
            return r.name;
          }),
          axisLabel: { rotate: 40, interval: 0 },
        },
        yAxis: { type: 'value', name: '任务数', minInterval: 1 },
        series: [
          {
            name: '应反馈',
            type: 'bar',
            data: rows.map(function (r) {
              return r.due;
            }),
          },
          {
            name: '已反馈',
            type: 'bar',
            data: rows.map(function (r) {
              return r.fedBack;
            }),
          },
          {
            name: '逾期未反馈',
            type: 'bar',
            data: rows.map(function (r) {
              return r.overdue;
            }),
          },
        ],
      },
      true,
    );
  }

  function weekly(report) {
    var rows = report.items;
    chart('chart-weekly').setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { top: 0, data: ['下发', '已反馈'] },
        grid: { left: 48, right: 16 },
        xAxis: {
          type: 'category',
          data: rows.map(function (r) {
            return r.week;
          }),
          name: '周',
        },
        yAxis: { type: 'value', name: '任务数', minInterval: 1 },
        series: [
          {
            name: '下发',
            type: 'line',
            data: rows.map(function (r) {
              return r.dispatched;
            }),
          },
          {
            name: '已反馈',
            type: 'line',
            data: rows.map(function (r) {
              return r.fedBack;
            }),
          },
        ],
      },
      true,
    );
  }

  function assessment(report) {
    var rows = report.items;
    var t = report.targets;
    function series(name, key, target) {
      return {
        name: name,
        type: 'bar',
        data: rows.map(function (r) {
          return pct(r[key]);
        }),
        markLine: {
          symbol: 'none',
          label: { formatter: name + '目标 ' + pct(target) + '%' },
          data: [{ yAxis: pct(target) }],
        },
      };
    }
    chart('chart-assessment').setOption(
      {
        animation: false,
        tooltip: {
          trigger: 'axis',
          valueFormatter: function (v) {
            return v === null || v === undefined ? '—' : v + '%';
          },
        },
        legend: { top: 0, data: ['案例占比', '信用承诺率', '修复培训覆盖率', '反馈率'] },
        grid: { left: 48, right: 140, top: 48 },
        xAxis: {
          type: 'category',
          data: rows.map(function (r) {
            return r.regionName;
          }),
          axisLabel: { interval: 0 },
        },
        yAxis: { type: 'value', name: '%', min: 0, max: 100 },
        series: [
          series('案例占比', 'caseRatio', t.caseRatio),
          series('信用承诺率', 'commitmentRate', t.commitmentRate),
          series('修复培训覆盖率', 'trainingCoverage', t.trainingCoverage),
          series('反馈率', 'feedbackRate', t.feedbackRate),
        ],
      },
      true,
    );
  }

  function cell(text) {
    var td = document.createElement('td');
    td.textContent = text;
    return td;
  }

  function overdue(report) {
    var body = $('overdue').querySelector('tbody');
    body.textContent = '';
    report.items.forEach(function (r) {
      var tr = document.createElement('tr');
      [
        r.organizationName,
        r.taskId,
        r.listTypeName,
        r.regionName,
        r.dispatchedOn,
        new Date(r.dueAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }),
        String(r.overdueDays),
        r.acknowledgedLabel,
      ].forEach(function (v) {
        tr.appendChild(cell(v));
      });
      body.appendChild(tr);
    });
    if (report.items.length === 0) {
      var tr = document.createElement('tr');
      var td = cell('暂无逾期任务');
      td.colSpan = 8;
      td.className = 'empty';
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }

  function shanghai(at) {
    return at ? new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '';
  }

  function lifting(report) {
    var s = report.summary;
    $('lifting-summary').textContent =
      '（' +
      s.entries +
      ' 条名单条目：已确认 ' +
      s.confirmed +
      '，待确认 ' +
      s.pending +
      '，逾期未确认 ' +
      s.overdue +
      '）';
    var body = $('lifting').querySelector('tbody');
    body.textContent = '';
    report.items.forEach(function (r) {
      var tr = document.createElement('tr');
      tr.className = 'lifting-' + r.state;
      [
        r.entryId,
        r.listTypeName,
        r.reasonLabel,
        shanghai(r.revokedAt),
        r.organizationName,
        shanghai(r.liftBy),
        r.stateLabel,
        shanghai(r.liftedAt),
      ].forEach(function (v) {
        tr.appendChild(cell(v));
      });
      body.appendChild(tr);
    });
    if (report.items.length === 0) {
      var tr = document.createElement('tr');
      var td = cell('暂无撤销任务');
      td.colSpan = 8;
      td.className = 'empty';
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }

  function load() {
    document.body.dataset.state = 'loading';
    return Promise.all([
      get('completion' + query('groupBy=organization')).then(organizations),
      get('completion' + query('groupBy=week')).then(weekly),
      get('assessment' + query()).then(function (r) {
        $('scope').textContent = r.title + '（' + (r.period.from || '不限') + ' 至 ' + (r.period.to || '不限') + '）';
        assessment(r);
      }),
      get('overdue' + query('limit=200')).then(overdue),
      get('lifting' + query('limit=200')).then(lifting),
    ]).then(
      function () {
        document.body.dataset.state = 'ready';
      },
      function (e) {
        if (token()) {
          document.body.dataset.state = 'error';
          $('scope').textContent = '加载失败：' + e.message;
        }
      },
    );
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
      setTimeout(function () {
        URL.revokeObjectURL(a.href);
      }, 1000);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('sign-in-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var value = $('token').value.trim();
      if (!value) {
        $('sign-in-error').textContent = '请输入令牌';
        return;
      }
      sessionStorage.setItem(KEY, value);
      $('token').value = '';
      $('sign-in-error').textContent = '';
      load();
    });
    $('period').addEventListener('submit', function (e) {
      e.preventDefault();
      load();
    });
    $('sign-out').addEventListener('click', function () {
      signOut();
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-export]'), function (b) {
      b.addEventListener('click', function () {
        download(b.getAttribute('data-export'));
      });
    });
    window.addEventListener('resize', function () {
      Object.keys(charts).forEach(function (k) {
        charts[k].resize();
      });
    });
    if (token()) load();
  });
})();
