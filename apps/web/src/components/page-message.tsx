import type { ReactNode } from 'react';

interface PageMessageProps {
  heading: string;
  children: ReactNode;
}

/** A whole page that only tells the person something: an error, a missing session, a wrong address. */
export function PageMessage({ heading, children }: PageMessageProps) {
  return (
    <main className="page page-message">
      <h1>{heading}</h1>
      {children}
    </main>
  );
}
