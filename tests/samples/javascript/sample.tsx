// TSX sample: React's dangerouslySetInnerHTML and DOM sinks in a typed component.
import React from 'react';
import DOMPurify from 'dompurify';
import { execSync } from 'child_process';

type Props = { html: string; title: string; ref?: React.RefObject<HTMLDivElement> };

export function Comment({ html, title, ref }: Props): JSX.Element {
  const node = ref?.current;
  if (node) node.innerHTML = html; // expect: EL-JS-INNER-HTML
  if (node) node.insertAdjacentHTML('afterbegin', html as string); // expect: EL-JS-INSERT-HTML
  const stamp = execSync('date').toString(); // expect: EL-JS-CHILD-PROCESS-EXEC
  return (
    <section title={title}>
      <div dangerouslySetInnerHTML={{ __html: html }} /> {/* expect: EL-JS-DANGEROUSLY-SET-INNER-HTML */}
      <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(html) }} />
      <p dangerouslySetInnerHTML={{ __html: '<em>static</em>' }}></p>
      <Markdown.Body
        dangerouslySetInnerHTML={{ __html: html! }} // expect: EL-JS-DANGEROUSLY-SET-INNER-HTML
      />
      <p>{title}</p>
      <button onClick={() => eval(title)}>run</button> {/* expect: EL-JS-EVAL */}
    </section>
  );
}
