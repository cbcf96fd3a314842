// The production dashboard: one tile per concern, each linking to its detail screen.
import { AlertsTile } from './alerts-tile';
import { DatabasesTile } from './databases-tile';
import { ErrorsTile } from './errors-tile';
import { EventsTile } from './events-tile';
import { PrivacyTile } from './privacy-tile';
import { RecoveryTile } from './recovery-tile';
import './overview.css';

export function OverviewPage() {
  return (
    <>
      <h1>Overview</h1>
      <div className="tiles">
        <AlertsTile />
        <ErrorsTile />
        <DatabasesTile />
        <RecoveryTile />
        <PrivacyTile />
        <EventsTile />
      </div>
    </>
  );
}
