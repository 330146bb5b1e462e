import { announcementOf, NOTIFY_ORIGIN } from './task-change-notifier';

describe('task change announcements (announcementOf)', () => {
  it('reads the organisations, and whether this process made the commit', () => {
    expect(announcementOf(`m_measures|AH-TAX,AH-RAILWAY|${NOTIFY_ORIGIN}`, 'm_measures')).toEqual({
      organizations: new Set(['AH-TAX', 'AH-RAILWAY']),
      ownCommit: true,
    });
    expect(announcementOf('m_measures|*|another-process', 'm_measures')).toEqual({
      organizations: '*',
      ownCommit: false,
    });
  });

  it('takes an announcement without an origin (written before origins) as another process’s', () => {
    expect(announcementOf('m_measures|AH-TAX', 'm_measures')).toEqual({
      organizations: new Set(['AH-TAX']),
      ownCommit: false,
    });
  });

  it('ignores another schema’s announcements and malformed ones', () => {
    expect(announcementOf(`other|AH-TAX|${NOTIFY_ORIGIN}`, 'm_measures')).toBeUndefined();
    expect(announcementOf('m_measures', 'm_measures')).toBeUndefined();
  });
});
