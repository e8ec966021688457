import type { CaseCollaboration } from '../../domain/collaboration';
import { participantView } from '../../domain/participants';

/** Who follows a case, how it is tagged, what it relates to, and who takes part in it. */
export function Collaboration({ together }: { together: CaseCollaboration }) {
  const { followers, tags, related, participants } = together;
  return (
    <>
      <h2>Followers</h2>
      {followers.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {followers.map((follower) => (
            <li>{`${follower.name} (${follower.ID})`}</li>
          ))}
        </ul>
      )}
      <h2>Tags</h2>
      <p>{tags.length === 0 ? 'None.' : tags.join(', ')}</p>
      <h2>Related cases</h2>
      {related.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {related.map((item) => (
            <li>
              <a href={`/admin/cases/${encodeURIComponent(item.ID)}`}>{item.ID}</a>
              {` ${item.caseTypeName}, ${item.status}`}
            </li>
          ))}
        </ul>
      )}
      <h2>Participants</h2>
      {participants.length === 0 ? (
        <p>None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>ID</th>
              <th>Role</th>
              <th>Name</th>
              <th>E-mail</th>
              <th>Phone</th>
            </tr>
          </thead>
          <tbody>
            {participants.map(participantView).map((participant) => (
              <tr>
                <td>{participant.participantID}</td>
                <td>{participant.participantRoleID}</td>
                <td>{participant.pyFullName}</td>
                <td>{participant.pyEmail1 ?? ''}</td>
                <td>{participant.pyPhoneNumber ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
